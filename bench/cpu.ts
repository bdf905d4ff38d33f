import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used so far, in ms, from /proc; null where /proc is not available. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

export type CpuPerOperation = Record<string, number | null>;

/** Runs `work` and reports the CPU ms each named process spent on it, per operation it completed. */
export async function cpuPerOperation<T extends { operations: number }>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuPerOperation }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const result = await work();
  const cpu: CpuPerOperation = {};
  for (const [name, pid] of Object.entries(pids)) {
    const start = before[name];
    const end = cpuMs(pid);
    cpu[name] =
      start === null || start === undefined || end === null
        ? null
        : Math.round(((end - start) / result.operations) * 100) / 100;
  }
  return { result, cpu };
}
