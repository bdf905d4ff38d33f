import { readFileSync } from 'node:fs';

/** Peak resident memory (VmHWM) of a process, in MiB, from /proc; null where /proc is not available. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}
