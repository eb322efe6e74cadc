// CPU time of other processes (Linux /proc), to say where a benchmark's time went even on a busy machine.
import { readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

/** user + system CPU milliseconds used so far by these processes (those that are gone count 0). */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // fields after the ")" that ends the command name: state is 3rd, utime 14th, stime 15th
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not running (or no /proc)
    }
  }
  return (ticks * 1000) / TICKS_PER_S;
}
