import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

// Fault drills run real processes: their own PostgreSQL and Redis on free ports (never the machine's
// shared 5432 and 6379, which other work uses) and API processes started from source, so a stop, a
// restart or a kill -9 is real. Each is killed when the drill ends.

const PG_BIN = '/usr/lib/postgresql/15/bin';
const ROOT = resolve(__dirname, '../../../../..');

/** Why drills cannot run here (then they are skipped with that note), or undefined. */
export function drillSkipReason(): string | undefined {
  if (!existsSync(join(PG_BIN, 'initdb'))) return `Drills skipped: no PostgreSQL 15 binaries in ${PG_BIN}.`;
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'Drills skipped: redis-server is not installed.';
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

/** A throwaway redis-server, without persistence: stopping it loses every key, as an outage may. */
export class DrillRedis {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<DrillRedis> {
    const redis = new DrillRedis(await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil('redis-server', async () => execFileSync('redis-cli', ['-p', String(this.port), 'ping']).toString().trim() === 'PONG', 10_000);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    this.process = undefined;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGKILL');
    });
  }
}

/** A throwaway PostgreSQL 15 cluster in a temporary directory (run as `postgres` when we are root). */
export class DrillPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<DrillPostgres> {
    const base = mkdtempSync(join(tmpdir(), 'twofold-drill-pg-'));
    const pg = new DrillPostgres(await freePort(), join(base, 'data'));
    if (asRoot()) execFileSync('chown', ['-R', 'postgres:postgres', base]);
    pg.run('initdb', ['-D', pg.dir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await pg.resume();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async resume(): Promise<void> {
    this.run('pg_ctl', ['-D', this.dir, '-o', `-p ${this.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(this.dir, '..', 'log'), '-w', 'start']);
  }

  /** A fast shutdown: open connections are cut, as in a restart or failover. */
  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', this.dir, '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      this.run('pg_ctl', ['-D', this.dir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }

  private run(binary: string, args: string[]): void {
    const path = join(PG_BIN, binary);
    if (asRoot()) execFileSync('runuser', ['-u', 'postgres', '--', path, ...args], { stdio: 'ignore' });
    else execFileSync(path, args, { stdio: 'ignore' });
  }
}

function asRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Keys shared by every API process of one drill (as instances of one deployment share them). */
export function drillKeys(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    FACTOR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CODE_HASH_KEY: randomBytes(32).toString('base64'),
  };
}

/** The API from source in a child process of its own, on its own port. */
export class ApiProcess {
  readonly http: TestAgent;
  private readonly child: ChildProcess;
  private readonly dataDir: string;

  private constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'twofold-drill-api-'));
    const { REDIS_URL: _inherited, TEST_DATABASE_URL: _test, ...base } = process.env;
    this.child = spawn(process.execPath, ['scripts/ts-run.js', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...base, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), DATA_DIR: this.dataDir, ...env },
      stdio: ['ignore', 'ignore', process.env.DRILL_LOGS ? 'inherit' : 'ignore'],
    });
    this.http = request(`http://127.0.0.1:${port}`);
  }

  static async start(env: Record<string, string>): Promise<ApiProcess> {
    const api = new ApiProcess(await freePort(), env);
    await waitUntil(`API on port ${api.port}`, async () => {
      if (api.child.exitCode !== null) throw new Error(`API process exited with ${api.child.exitCode}`);
      const res = await api.http.get('/health').timeout(2000);
      return res.status === 200 || res.status === 503;
    }, 120_000).catch((error: Error) => {
      api.child.kill('SIGKILL');
      throw error;
    });
    return api;
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode) return;
    await new Promise<void>((done) => {
      this.child.once('exit', () => done());
      this.child.kill(signal);
    });
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
