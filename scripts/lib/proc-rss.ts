// Resident memory of a process, read from /proc (Linux), and a sampler that keeps the peak.
import { readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes, or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples `pid` every `everyMs` until stopped; `peak` is the largest RSS seen. */
export function sampleRss(pid: number, everyMs = 50) {
  let peak = rssBytes(pid) ?? 0;
  let samples = 0;
  const timer = setInterval(() => {
    const now = rssBytes(pid);
    if (now !== null) {
      peak = Math.max(peak, now);
      samples += 1;
    }
  }, everyMs);
  return {
    get peak() {
      return peak;
    },
    get samples() {
      return samples;
    },
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
