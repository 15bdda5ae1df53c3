// PostgreSQL's CPU time, read from /proc: every process named `postgres` on this machine (the backends,
// the WAL writer, the checkpointer, autovacuum). The bench's steps run one at a time against one cluster,
// so what PostgreSQL used over a step is that step's: its cost per request beside the server's own.
import { readdirSync, readFileSync } from 'node:fs';

// Linux counts process CPU in clock ticks; USER_HZ is 100 on every mainstream build.
const TICKS_PER_SECOND = 100;

/** PostgreSQL's CPU so far in ms, or null where /proc cannot tell (not Linux). */
export function postgresCpuMs(): number | null {
  if (process.platform !== 'linux') return null;
  let ticks = 0;
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
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
