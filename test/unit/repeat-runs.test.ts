import { describe, expect, it } from 'vitest';
import { figuresOf, spreadOverRuns } from '../../bench/repeat-runs.js';

const aRun = (reserves: number, p99: number) => ({
  at: '2026-11-30T00:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'x' },
  summary: { reserveOpsPerSec: reserves, ratio: 0.9, quick: true },
  scenarios: [{ name: 'wide catalog', load: { opsPerSec: reserves, p50Ms: 10, p99Ms: p99 }, oversold: 0 }],
  cpuMsPerReserve: { service: { service: 4.5, dynamoDbLocal: null } },
  memory: { serviceMiB: 120 },
});

describe('the spread of the benchmark over several runs', () => {
  it('takes every varying figure of a run, by name, and leaves out what is not a number', () => {
    // Act
    const figures = figuresOf(aRun(150, 80));

    // Assess
    expect(figures).toEqual({
      reserveOpsPerSec: 150,
      ratio: 0.9,
      'wide catalog: ops/s': 150,
      'wide catalog: p50 ms': 10,
      'wide catalog: p99 ms': 80,
      'wide catalog: oversold': 0,
      'CPU ms per reserve (service): service': 4.5,
      'peak RSS: serviceMiB': 120,
    });
  });

  it('gives each figure its median and range over the runs, in the runs order', () => {
    // Prepare
    const runs = [aRun(150, 80), aRun(120, 95), aRun(170, 70)].map(figuresOf);

    // Act
    const spreads = spreadOverRuns(runs);

    // Assess
    expect(spreads.find((s) => s.figure === 'reserveOpsPerSec')).toEqual({
      figure: 'reserveOpsPerSec',
      median: 150,
      min: 120,
      max: 170,
      values: [150, 120, 170],
    });
    expect(spreads.find((s) => s.figure === 'wide catalog: p99 ms')).toMatchObject({
      median: 80,
      min: 70,
      max: 95,
    });
  });

  it('shows a figure a run lacks as null, and spreads it over the runs that have it', () => {
    // Act
    const [spread] = spreadOverRuns([{ a: 1 }, {}, { a: 3 }]);

    // Assess
    expect(spread).toEqual({ figure: 'a', median: 2, min: 1, max: 3, values: [1, null, 3] });
  });
});
