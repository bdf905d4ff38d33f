import dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { aliasHost } from '../../infra/local/host-alias.js';
import { MapStops } from '../../infra/local/map-stops.js';
import type { LocalTask } from '../../infra/local/synthesized-state-machines.js';

const aStep = (overrides: Partial<LocalTask> = {}): LocalTask => ({
  stateName: 'Step',
  handler: 'functions/step.ts',
  functionName: 'StepFunction',
  invoke: true,
  timeoutSeconds: 10,
  map: { name: 'EachStep', maxConcurrency: 1 },
  retry: [{ ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 2 }],
  catch: [],
  ...overrides,
});

describe("the local stand-in's account of a Map's failed iterations", () => {
  it('stops the Map only once an error has no retry left', () => {
    const stops = new MapStops();
    const step = aStep();

    stops.failed(step, 'Lambda.ServiceException');
    stops.failed(step, 'Lambda.ServiceException');
    const afterRetries = stops.isStopped('EachStep');
    stops.failed(step, 'Lambda.ServiceException');

    expect(afterRetries).toBe(false);
    expect(stops.isStopped('EachStep')).toBe(true);
  });

  it('stops the Map at once for an error no retrier matches', () => {
    const stops = new MapStops();

    stops.failed(aStep(), 'CartLineShort');

    expect(stops.isStopped('EachStep')).toBe(true);
  });

  it('counts retries afresh after a success, and leaves alone a failure caught inside the iteration', () => {
    const stops = new MapStops();
    const step = aStep();
    const caught = aStep({ stateName: 'Caught', catch: [{ ErrorEquals: ['States.ALL'] }] });

    stops.failed(step, 'Lambda.ServiceException');
    stops.failed(step, 'Lambda.ServiceException');
    stops.succeeded(step);
    stops.failed(step, 'Lambda.ServiceException');
    stops.failed(caught, 'CartLineShort');

    expect(stops.isStopped('EachStep')).toBe(false);
  });

  it('follows only Maps that run one iteration at a time', () => {
    const stops = new MapStops();

    stops.failed(aStep({ map: { name: 'Parallel', maxConcurrency: 5 } }), 'CartLineShort');
    stops.failed(aStep({ map: null }), 'CartLineShort');

    expect(stops.isStopped('Parallel')).toBe(false);
  });
});

/** A lookup as Node's sockets make it (through `dns.lookup`, read at call time). */
const lookup = (host: string) =>
  new Promise<{ address: string }>((resolve, reject) =>
    dns.lookup(host, (error, address) => (error ? reject(error) : resolve({ address }))),
  );

describe("the local runtime's host alias", () => {
  it('resolves the sync- host of the endpoint while it is in force, and not after', async () => {
    const release = aliasHost('sync-127.0.0.1', '127.0.0.1');
    const during = await lookup('sync-127.0.0.1');
    release();
    const after = await lookup('sync-127.0.0.1').catch((e: unknown) => e);

    expect(during.address).toBe('127.0.0.1');
    expect((after as { code?: string }).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});
