import { describe, expect, it } from 'vitest';
import { cpuMsPerOperation, type Round, renderSummary, summarize } from '../../bench/cpu-ratio-figures.js';

const aRound = (
  rawCpuMs: number,
  handler: { cpuMs: number; dynamoCpuMs: number } | null,
  sdkFloor = { documentClientCpuMs: 1.5, lowLevelClientCpuMs: 1 },
): Round => ({
  serviceOpsPerSec: 100,
  rawOpsPerSec: 125,
  serviceCpuMs: 5,
  dynamoCpuMsThroughService: 9,
  dynamoCpuMsRaw: rawCpuMs,
  handler: handler ? { opsPerSec: 200, ...handler } : null,
  sdkFloor,
});

describe('the figures of the CPU ratio benchmark', () => {
  it("gives the handler's CPU per reserve and its ratio to DynamoDB Local's raw CPU of the same round, as median and range", () => {
    // Prepare
    const rounds = [
      aRound(8, { cpuMs: 2, dynamoCpuMs: 7 }),
      aRound(10, { cpuMs: 4, dynamoCpuMs: 9 }),
      aRound(5, { cpuMs: 3, dynamoCpuMs: 6 }),
    ];

    // Act
    const summary = summarize(rounds);

    // Assess
    expect(summary.handlerCpuMsPerReserve).toEqual({ median: 3, min: 2, max: 4 });
    expect(summary.handlerCpuRatio).toEqual({ median: 0.4, min: 0.25, max: 0.6 });
    expect(summary.dynamoCpuMsPerReserveThroughHandler).toEqual({ median: 7, min: 6, max: 9 });
    expect(summary.handlerOpsPerSec).toEqual({ median: 200, min: 200, max: 200 });
  });

  it("keeps the service's own figures beside the handler's", () => {
    // Act
    const summary = summarize([
      aRound(10, { cpuMs: 2, dynamoCpuMs: 7 }),
      aRound(5, { cpuMs: 2, dynamoCpuMs: 7 }),
    ]);

    // Assess
    expect(summary.serviceCpuMsPerReserve).toEqual({ median: 5, min: 5, max: 5 });
    expect(summary.cpuRatio).toEqual({ median: 0.75, min: 0.5, max: 1 });
    expect(summary.throughputRatio).toEqual({ median: 0.8, min: 0.8, max: 0.8 });
  });

  it('gives no handler figure when a round ran no handler, rather than one over fewer rounds', () => {
    // Act
    const summary = summarize([aRound(8, { cpuMs: 2, dynamoCpuMs: 7 }), aRound(8, null)]);

    // Assess
    expect(summary.handlerCpuMsPerReserve).toBeNull();
    expect(summary.handlerCpuRatio).toBeNull();
    expect(summary.serviceCpuMsPerReserve).toEqual({ median: 5, min: 5, max: 5 });
  });

  it("gives the SDK's floor per round against the store's raw CPU, and the handler's CPU above that floor", () => {
    // Prepare
    const rounds = [
      aRound(8, { cpuMs: 3, dynamoCpuMs: 7 }, { documentClientCpuMs: 2, lowLevelClientCpuMs: 1.6 }),
      aRound(10, { cpuMs: 4, dynamoCpuMs: 9 }, { documentClientCpuMs: 3, lowLevelClientCpuMs: 2 }),
      aRound(4, { cpuMs: 2.5, dynamoCpuMs: 6 }, { documentClientCpuMs: 2, lowLevelClientCpuMs: 1.8 }),
    ];

    // Act
    const summary = summarize(rounds);

    // Assess
    expect(summary.floorCpuMsDocumentClient).toEqual({ median: 2, min: 2, max: 3 });
    expect(summary.floorRatioDocumentClient).toEqual({ median: 0.3, min: 0.25, max: 0.5 });
    expect(summary.floorCpuMsLowLevelClient).toEqual({ median: 1.8, min: 1.6, max: 2 });
    expect(summary.floorRatioLowLevelClient).toEqual({ median: 0.2, min: 0.2, max: 0.45 });
    expect(summary.handlerCpuMsAboveFloor).toEqual({ median: 1, min: 0.5, max: 1 });
  });

  it("turns a process's CPU microseconds, user and system, into milliseconds per operation", () => {
    // Act
    const perReserve = cpuMsPerOperation({ user: 3_000_000, system: 1_000_000 }, 1_000);
    const rounded = cpuMsPerOperation({ user: 1_000, system: 234 }, 1);

    // Assess
    expect(perReserve).toBe(4);
    expect(rounded).toBe(1.23);
  });

  it("prints the handler's lines, and a dash for a checkout that ran no handler", () => {
    // Act
    const withHandler = renderSummary(
      'service',
      3,
      200,
      summarize([aRound(8, { cpuMs: 2, dynamoCpuMs: 7 })]),
    );
    const without = renderSummary('baseline', 3, 200, summarize([aRound(8, null)]));

    // Assess
    expect(withHandler).toContain('  handler CPU ms per reserve       2 [2..2]');
    expect(withHandler).toContain('  handler CPU / DynamoDB Local CPU 0.25 [0.25..0.25]');
    expect(withHandler).toContain('  service CPU / DynamoDB Local CPU 0.63 [0.63..0.63]');
    expect(without).toContain('  handler CPU ms per reserve       -');
    expect(withHandler).toContain('  document client CPU ms           1.5 [1.5..1.5]');
    expect(withHandler).toContain('  low-level cached / DynamoDB L.   0.13 [0.13..0.13]');
  });
});
