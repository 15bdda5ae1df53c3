// PostgreSQL's CPU time, read from /proc: every process named `postgres` on this machine (the backends,
// the WAL writer, the checkpointer, autovacuum). The bench's steps run one at a time against one cluster,
// so what PostgreSQL used over a step is that step's: its cost per request beside the server's own.
import { readdirSync, readFileSync } from 'node:fs';

// Linux counts process CPU in clock ticks; USER_HZ is 100 on every mainstream build.
const TICKS_PER_SECOND = 100;

/** CPU ticks so far of each PostgreSQL process, by pid; null where /proc cannot tell (not Linux, or PostgreSQL elsewhere). */
export type PostgresCpu = Map<string, number> | null;

export function postgresCpu(): PostgresCpu {
  if (process.platform !== 'linux') return null;
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    // After the name: state is field 3, utime and stime fields 14 and 15.
    const fields = stat.slice(close + 2).split(' ');
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  // None here: PostgreSQL runs on another machine or in another PID namespace, and its CPU is not ours to read.
  return ticks.size ? ticks : null;
}

/**
 * PostgreSQL's CPU in ms between two readings. By process: a backend that exits in between (a pool
 * closing an idle connection) takes its whole history with it, which a plain sum would count as negative
 * time; what such a process used between the readings is left out, one that started is counted whole.
 */
export function postgresCpuMsBetween(before: PostgresCpu, after: PostgresCpu): number | null {
  if (!before || !after) return null;
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}
