import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BusEvent, createEventBus } from '../../infra/local/event-bus.js';
import { EventPatternError } from '../../infra/local/pattern-matcher.js';
import { ManualClock } from '../../shared/kernel/clock.js';

const event = (detailType: string, detail: Record<string, unknown> = {}) => ({
  source: 'inventory',
  'detail-type': detailType,
  detail: { eventId: `${detailType}#1`, ...detail },
});

describe('the local event bus', () => {
  it('delivers an event, in EventBridge’s envelope, to the rules whose pattern matches', async () => {
    // Prepare
    const lows: BusEvent[] = [];
    const all: BusEvent[] = [];
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 12));
    const bus = createEventBus({
      clock,
      rules: [
        {
          name: 'low',
          pattern: { source: ['inventory'], 'detail-type': ['StockLow'] },
          target: (e) => lows.push(e),
        },
        { name: 'all', pattern: { source: ['inventory'] }, target: (e) => all.push(e) },
      ],
    });

    // Act
    const result = await bus.publish([event('StockLow'), event('StockOut')]);

    // Assess
    expect(result.delivered).toBe(3);
    expect(lows.map((e) => e['detail-type'])).toEqual(['StockLow']);
    expect(all.map((e) => e['detail-type'])).toEqual(['StockLow', 'StockOut']);
    expect(lows[0]).toMatchObject({
      version: '0',
      source: 'inventory',
      account: '000000000000',
      region: 'local',
      time: '2026-03-02T12:00:00.000Z',
      resources: [],
      detail: { eventId: 'StockLow#1' },
    });
    expect(lows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a failing target until it succeeds: at least once, not exactly once', async () => {
    // Prepare
    let calls = 0;
    const bus = createEventBus({
      maxAttempts: 3,
      retryDelayMs: 1,
      rules: [
        {
          name: 'flaky',
          pattern: { source: ['inventory'] },
          target: () => {
            calls++;
            if (calls < 3) throw new Error('not yet');
          },
        },
      ],
    });

    // Act
    const result = await bus.publish([event('StockLow')]);

    // Assess
    expect(calls).toBe(3);
    expect(result).toMatchObject({ delivered: 1, deadLettered: [] });
  });

  it('dead-letters a delivery that keeps failing, and still delivers the event to the other rules', async () => {
    // Prepare
    const delivered: BusEvent[] = [];
    const bus = createEventBus({
      maxAttempts: 2,
      retryDelayMs: 1,
      rules: [
        {
          name: 'broken',
          pattern: { 'detail-type': ['StockLow'] },
          target: async () => {
            throw new TypeError('no such request');
          },
        },
        { name: 'fine', pattern: { source: ['inventory'] }, target: (e) => delivered.push(e) },
      ],
    });

    // Act
    const result = await bus.publish([event('StockLow')]);

    // Assess
    expect(delivered).toHaveLength(1);
    expect(bus.deadLetters()).toEqual([
      expect.objectContaining({ rule: 'broken', attempts: 2, error: 'TypeError: no such request' }),
    ]);
    expect(result.deadLettered).toHaveLength(1);
  });

  it('keeps the latest events, by detail-type or after the last one a watcher saw', async () => {
    // Prepare
    const bus = createEventBus({ historySize: 3 });
    await bus.publish([event('A'), event('B'), event('A')]);
    const [, seen] = bus.history();

    // Act
    await bus.publish([event('C')]);

    // Assess
    expect(bus.history().map((e) => e['detail-type'])).toEqual(['B', 'A', 'C']);
    expect(bus.history({ detailType: 'A' })).toHaveLength(1);
    expect(bus.history({ after: seen?.id ?? '' }).map((e) => e['detail-type'])).toEqual(['A', 'C']);
    expect(bus.history({ limit: 1 }).map((e) => e['detail-type'])).toEqual(['C']);
  });

  it('refuses a rule whose pattern EventBridge would refuse, and a second rule of the same name', () => {
    const bus = createEventBus();
    expect(() =>
      bus.addRule({ name: 'bad', pattern: { source: 'inventory' } as never, target: () => {} }),
    ).toThrow(EventPatternError);
    bus.addRule({ name: 'ok', pattern: { source: ['inventory'] }, target: () => {} });
    expect(() => bus.addRule({ name: 'ok', pattern: { source: ['x'] }, target: () => {} })).toThrow(/exists/);
    expect(bus.rules().map((r) => r.name)).toEqual(['ok']);
  });

  it('appends every event to its log file, one JSON object per line, and tells its watchers', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'bus-'));
    const bus = createEventBus({ logFile: join(dir, 'nested', 'events.jsonl') });
    const watched: string[] = [];
    const stop = bus.subscribe((e) => watched.push(e['detail-type']));

    // Act
    await bus.publish([event('A'), event('B')]);
    stop();
    await bus.publish([event('C')]);
    const lines = (await readFile(join(dir, 'nested', 'events.jsonl'), 'utf8')).trim().split('\n');
    await rm(dir, { recursive: true, force: true });

    // Assess
    expect(lines.map((l) => (JSON.parse(l) as BusEvent)['detail-type'])).toEqual(['A', 'B', 'C']);
    expect(watched).toEqual(['A', 'B']);
  });
});
