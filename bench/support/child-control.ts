// What a benchmarked server answers its parent over IPC: statement counts, peak RSS, a CPU profile of a window.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { statementCount, takeStatementTrace } from './sql-counter';

export type ControlRequest = { id: number; type: 'stats' } | { id: number; type: 'profile:start' } | { id: number; type: 'profile:stop'; path: string } | { id: number; type: 'exit' };

export interface ChildStats {
  statements: number;
  /** Peak resident set size of the whole process so far, in MB. */
  peakRssMb: number;
  /** CPU time (user + system) the process has used so far: steadier than wall time on a shared machine. */
  cpuMs: number;
  /** process.memoryUsage() in MB when the sampled RSS was highest (sampled every 50 ms): what the peak is made of. */
  atPeak: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /**
   * How late the event loop ran since the previous stats, in ms (p99 and worst): work that holds the loop
   * (a background batch, a long synchronous step) shows here, queueing for the CPU does not.
   */
  loopDelay: { p99: number; max: number };
  /**
   * Garbage collection on the main thread since the previous stats: pauses of the young generation
   * (scavenges) and of the whole heap (mark-compact), count, total and longest in ms.
   */
  gc: Record<'minor' | 'major', { count: number; totalMs: number; maxMs: number }>;
  /** With BENCH_SQL_TRACE: the statements sent since the previous stats, by opening words. */
  trace: Record<string, number>;
}

const inMb = (usage: NodeJS.MemoryUsage) =>
  Object.fromEntries(Object.entries(usage).map(([key, bytes]) => [key, Math.round(bytes / 1048576)])) as unknown as ChildStats['atPeak'];

export function answerParent(): void {
  let session: Session | null = null;
  let atPeak = inMb(process.memoryUsage());
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const noGc = (): ChildStats['gc'] => ({ minor: { count: 0, totalMs: 0, maxMs: 0 }, major: { count: 0, totalMs: 0, maxMs: 0 } });
  let gc = noGc();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Scavenges apart; the rest are mark-compact, incremental marking steps and weak callbacks.
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      const kind = detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major;
      kind.count++;
      kind.totalMs += entry.duration;
      kind.maxMs = Math.max(kind.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  // memoryUsage() walks the heap (2% of a busy API's CPU every 50 ms); rss() alone is cheap.
  setInterval(() => {
    if (process.memoryUsage.rss() > atPeak.rss * 1048576) atPeak = inMb(process.memoryUsage());
  }, 50).unref();
  process.on('message', (message: ControlRequest) => {
    void (async () => {
      if (message.type === 'stats') {
        const cpu = process.cpuUsage();
        const delay = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
        loopDelay.reset();
        const pauses = gc;
        gc = noGc();
        const stats: ChildStats = {
          statements: statementCount(), peakRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000, atPeak, loopDelay: delay, gc: pauses,
          trace: takeStatementTrace(),
        };
        return process.send!({ id: message.id, stats });
      }
      if (message.type === 'profile:start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
        return process.send!({ id: message.id });
      }
      if (message.type === 'profile:stop' && session) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(message.path, JSON.stringify(profile));
        session.disconnect();
        session = null;
        return process.send!({ id: message.id });
      }
      if (message.type === 'exit') process.exit(0);
    })();
  });
}
