// Where a CPU profile's time went, by owner: the framework (Nest, Express and their middleware), the ORM,
// the pg driver, JWT signing (jose), TOTP (otplib), logging (pino), our own code, Node internals, GC.
// `node scripts/ts-run.js bench/profile-summary.ts <file.cpuprofile> [top] [under]`: with `under` (a regular
// expression over "function file:line"), only the time spent beneath the frames it matches, e.g. 'transform .*validation.pipe'.
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const BENCH_OVERHEAD = 'the bench itself (profiler, RSS sampling)';
const OWNERS: [RegExp, string][] = [
  [/node_modules\/(@nestjs|express|body-parser|router|path-to-regexp|class-validator|class-transformer|helmet|reflect-metadata|rxjs|raw-body|cors|finalhandler|send|on-finished|qs|iconv-lite|type-is|accepts|negotiator|content-type|@nest-lab)\//, 'framework (Nest, Express, validation)'],
  [/node_modules\/typeorm\//, 'ORM (TypeORM)'],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|pgpass|buffer-writer|packet-reader)\//, 'pg driver'],
  [/node_modules\/jose\//, 'JWT (jose)'],
  [/node_modules\/(otplib|@otplib|@noble|@scure)\//, 'TOTP (otplib, noble)'],
  [/node_modules\/(pino|pino-http|nestjs-pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|safe-stable-stringify)\//, 'logging (pino)'],
  [/node_modules\//, 'other packages'],
  // The bench's own work inside the API process (stopping the profiler, sampling RSS) is not the API's: left out of "busy".
  [/\/bench\/support\/child-control/, BENCH_OVERHEAD],
  [/\/(apps|libs|bench)\//, 'Twofold code'],
];

// Native frames (socket writes, hashing, builtins) are charged to the nearest JavaScript caller's owner.
function ownerOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url && functionName.startsWith('(')) return functionName;
  if (!url) {
    const caller = parents.get(node.id);
    return caller ? ownerOf(caller) : 'native / V8 builtins';
  }
  if (url.startsWith('node:')) {
    // Socket writes and the like: named after whoever asked (the pg driver writing a statement, Express a response).
    let caller = parents.get(node.id);
    while (caller && (!caller.callFrame.url || caller.callFrame.url.startsWith('node:'))) caller = parents.get(caller.id);
    return caller ? `${ownerOf(caller)}, in Node (sockets, streams)` : 'Node internals (event loop, timers)';
  }
  return OWNERS.find(([pattern]) => pattern.test(url))?.[1] ?? 'other';
}

const [file, top = '15', under] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, ProfileNode>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const frameName = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(apps|libs|bench)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
const underPattern = under ? new RegExp(under) : null;
function isUnder(node: ProfileNode): boolean {
  for (let frame: ProfileNode | undefined = node; frame; frame = parents.get(frame.id)) if (underPattern!.test(frameName(frame))) return true;
  return false;
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
let idle = 0;
let overhead = 0;
let selected = 0;
const owners = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, time] of self) {
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') {
    idle += time;
    continue;
  }
  const owner = ownerOf(node);
  if (owner.startsWith(BENCH_OVERHEAD)) {
    overhead += time;
    continue;
  }
  if (underPattern && !isUnder(node)) continue;
  selected += time;
  owners.set(owner, (owners.get(owner) ?? 0) + time);
  functions.set(frameName(node), (functions.get(frameName(node)) ?? 0) + time);
}
const busy = total - idle - overhead;
const share = (time: number) => `${((time / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((busy / total) * 100).toFixed(0)}% busy on the main thread (the bench's own ${((overhead / total) * 100).toFixed(1)}% left out)`);
if (underPattern) console.log(`${share(selected)}  beneath frames matching /${under}/, by owner (shares of all busy time):`);
for (const [owner, time] of [...owners].sort((a, b) => b[1] - a[1])) console.log(`  ${share(time)}  ${owner}`);
console.log(`top ${top} functions (self time, share of busy):`);
for (const [where, time] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`  ${share(time)}  ${where}`);
