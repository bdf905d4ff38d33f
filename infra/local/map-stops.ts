import type { LocalTask, Retrier } from './synthesized-state-machines.js';

const matchesAny = (errors: readonly string[], name: string) =>
  errors.includes(name) || errors.includes('States.ALL') || errors.includes('States.TaskFailed');

/**
 * Which Maps of one execution have had an iteration fail for good (no retrier left, no catcher inside the
 * iteration), counting retries as Step Functions does: the first retrier whose ErrorEquals matches decides.
 * Only Maps with MaxConcurrency 1 are followed: their iterations, and so their task attempts, are sequential.
 */
export class MapStops {
  private readonly attempts = new Map<string, number[]>();
  private readonly stopped = new Set<string>();

  isStopped(map: string): boolean {
    return this.stopped.has(map);
  }

  succeeded(task: LocalTask): void {
    this.attempts.delete(task.stateName);
  }

  failed(task: LocalTask, errorName: string): void {
    if (task.map?.maxConcurrency !== 1) return;
    const counts = this.attempts.get(task.stateName) ?? task.retry.map(() => 0);
    const index = task.retry.findIndex((r: Retrier) => matchesAny(r.ErrorEquals, errorName));
    const retrier = task.retry[index];
    if (retrier && (counts[index] ?? 0) < (retrier.MaxAttempts ?? 3)) {
      counts[index] = (counts[index] ?? 0) + 1;
      this.attempts.set(task.stateName, counts);
      return;
    }
    this.attempts.delete(task.stateName);
    if (!task.catch.some((c) => matchesAny(c.ErrorEquals, errorName))) this.stopped.add(task.map.name);
  }
}
