import { afterAll, beforeAll } from 'vitest';
import { type DevSigningKey, newDevSigningKey } from '../../infra/local/dev-keys.js';
import { type DevTokenClaims, signDevToken } from '../../infra/local/dev-tokens.js';
import type { LocalService } from '../../infra/local/local-service.js';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { DynamoLiveStore } from '../../shared/live/store/dynamo-live-store.js';
import { storeContext } from '../../shared/platform/store/store-context.js';
import { type TestTable, useTestTable } from './dynamo.js';
import { LiveClient } from './live-client.js';

export interface LiveRuntimeOptions {
  /** More local stand-ins to run beside the HTTP API, made for the test table (the background services, ...). */
  readonly services?: (table: TestTable) => readonly LocalService[];
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * The local runtime with its live API (the WebSocket stand-in) and its event pipeline, over a fresh test table
 * (`useTestTable`, its deps on a ManualClock set to now), for the tests of the file that calls this: started in a
 * `beforeAll`, stopped in an `afterAll` that runs before the table is dropped. The live store reads the table's
 * subscriptions; `connect` opens a client that is closed at the end.
 */
export function useLiveRuntime(options: LiveRuntimeOptions = {}) {
  const { table, deps } = useTestTable({ clock: new ManualClock(Date.now()) });
  const liveStore = new DynamoLiveStore(storeContext({ client: table.client, tableName: table.tableName }));
  const clients: LiveClient[] = [];
  let started: { runtime: LocalRuntime; key: DevSigningKey } | undefined;

  beforeAll(async () => {
    const key = await newDevSigningKey();
    const runtime = await startLocalRuntime({
      port: 0,
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      signingKey: key,
      events: { startAt: 'LATEST', intervalMs: 50 },
      live: { port: 0 },
      ...(options.services ? { services: options.services(table) } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
    });
    started = { runtime, key };
  }, 120_000);

  afterAll(async () => {
    // The runtime first: it cuts its connections off without their $disconnect. A client closing first would
    // have the server run $disconnect unawaited, against a table dropped meanwhile.
    await started?.runtime.stop();
    for (const client of clients) await client.close();
  });

  const runtime = (): LocalRuntime => {
    if (!started) throw new Error('the local runtime is not started');
    return started.runtime;
  };
  const liveUrl = () => runtime().live?.url ?? '';
  const tokenFor = (claims: DevTokenClaims, expiresIn?: number) => {
    if (!started) throw new Error('the local runtime is not started');
    return signDevToken(started.key, claims, expiresIn);
  };
  /** A live client connected with a token of `claims`, closed after the file's tests. */
  const connect = async (claims: DevTokenClaims): Promise<LiveClient> => {
    const client = await LiveClient.connect(liveUrl(), await tokenFor(claims));
    clients.push(client);
    return client;
  };
  return { table, deps, liveStore, runtime, liveUrl, tokenFor, connect };
}
