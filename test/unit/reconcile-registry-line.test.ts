import { describe, expect, it } from 'vitest';
import { renderRegistry } from '../../scripts/reconcile.js';
import type { ReconcileReport } from '../../shared/stock/use-cases/reconcile.js';

const aReport = (registry: ReconcileReport['registry']) => ({ registry }) as ReconcileReport;

describe("npm run reconcile's line on the registry of sharded levels", () => {
  it('says how many repairs were skipped and how many the stopped run did not start', () => {
    // Act
    const line = renderRegistry(aReport({ written: 2, removed: 1, skipped: 1, notStarted: 3 }));

    // Assess
    expect(line).toBe(
      'Registry of sharded levels: 2 entries written, 1 removed, 1 skipped (the level changed during the run, ' +
        'or the write met another; the next run looks again), 3 not started (the run was stopped; the next run ' +
        'makes them).',
    );
  });

  it('says nothing of skips or stops when there were none', () => {
    expect(renderRegistry(aReport({ written: 0, removed: 0, skipped: 0, notStarted: 0 }))).toBe(
      'Registry of sharded levels: 0 entries written, 0 removed.',
    );
  });
});
