import WebSocket from 'ws';
import { newDevSigningKey } from '../infra/local/dev-keys.js';
import { signDevToken } from '../infra/local/dev-tokens.js';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { systemClock } from '../shared/kernel/clock.js';
import { parseLocationId, parsePrincipalId, parseSku } from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { LiveView } from '../shared/live/domain/live-view.js';
import type { ServerMessage } from '../shared/live/domain/messages.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { readLevel } from '../shared/stock/use-cases/reads.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { percentile, runLoad } from './load.js';

/**
 * `npm run bench -- --live [--quick]`: live stock during a flash sale. Subscribers (1,000; 100 with --quick;
 * LIVE_BENCH_SUBSCRIBERS overrides) follow one hot SKU over real WebSockets against the local runtime (the same
 * functions as the cloud, the @connections stand-in, the event pipeline); buyers then try to reserve twice the
 * stock, 32 at a time. Reported: the delay from a reserve's 201 to the moment a subscriber holds a version that
 * includes it (the k-th 201 is included once the subscriber's version is at least the stock's version + k: the
 * writes are blind, so which version a given reserve made is not known), p50 and p99 over every subscriber and
 * 201; the deliveries per second; and whether every subscriber ends with the true final figures.
 */
export interface LiveBenchFigures {
  readonly subscribers: number;
  readonly reserved: number;
  readonly deliveries: number;
  readonly deliveriesPerSec: number;
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly subscribersWrongAtEnd: number;
}

interface Subscriber {
  readonly socket: WebSocket;
  readonly view: LiveView;
  /** When each version was first held. */
  readonly heldAt: { version: number; at: number }[];
  deliveries: number;
}

function subscribe(url: string, token: string, sku: string, topic: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}/?token=${encodeURIComponent(token)}`);
    const subscriber: Subscriber = { socket, view: new LiveView(), heldAt: [], deliveries: 0 };
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'delta') subscriber.deliveries++;
      if (subscriber.view.apply(message)) {
        const version = [...subscriber.view.locations(topic).values()][0]?.version ?? 0;
        subscriber.heldAt.push({ version, at: performance.now() });
      }
      if (message.type === 'snapshot') resolve(subscriber);
      if (message.type === 'error') reject(new Error(JSON.stringify(message)));
    });
    socket.once('open', () => socket.send(JSON.stringify({ action: 'subscribe', sku })));
    socket.once('error', reject);
  });
}

export async function liveBench(quick: boolean, log: (line: string) => void): Promise<LiveBenchFigures> {
  const subscribers = Number(process.env.LIVE_BENCH_SUBSCRIBERS ?? (quick ? 100 : 1_000));
  const stock = quick ? 20 : 100;
  const dynamo = await startDynamoDbLocal();
  const key = await newDevSigningKey();
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    tableName: 'inventory-live-bench',
    signingKey: key,
    events: { startAt: 'LATEST', intervalMs: 20 },
    live: { port: 0 },
    settings: {
      CALLER_RATE_LIMIT_PER_SECOND: '1000000',
      CALLER_RATE_LIMIT_BURST: '1000000',
      MAX_ACTIVE_HOLDS_PER_CALLER: '10000',
    },
  });
  const sockets: WebSocket[] = [];
  try {
    const deps: UseCaseDeps = {
      ...coldStart().deps,
      clock: systemClock,
      ids: ulidSource(systemClock),
      holdPolicy: DEFAULT_HOLD_POLICY,
    };
    const sku = parseSku('LIVE-HOT');
    const locationId = parseLocationId('LIVE-WH');
    const admin = parsePrincipalId('bench-admin');
    await createLocation(deps, { locationId, name: 'Live bench', region: 'local', ownerId: admin });
    await receiveStock(deps, { sku, locationId, quantity: stock }, { actor: admin, reason: 'bench' });
    await runtime.events?.drain();
    const baseVersion = (await readLevel(deps, sku, locationId)).version;
    const url = runtime.live?.url ?? '';
    const topic = `sku:${sku}`;

    log(`live: connecting ${subscribers} subscribers to ${sku}...`);
    const tokens = await Promise.all(
      Array.from({ length: subscribers }, (_, i) =>
        signDevToken(key, { sub: `watcher-${i}`, roles: ['storefront'] }),
      ),
    );
    const watching: Subscriber[] = [];
    for (let i = 0; i < subscribers; i += 50) {
      const batch = await Promise.all(tokens.slice(i, i + 50).map((t) => subscribe(url, t, sku, topic)));
      watching.push(...batch);
      sockets.push(...batch.map((s) => s.socket));
    }

    log(`live: flash sale of ${stock} units, ${stock * 2} reserve attempts...`);
    const buyer = await signDevToken(key, { sub: 'live-buyer', roles: ['storefront'] });
    const created: number[] = [];
    const started = performance.now();
    const sale = await runLoad(stock * 2, 32, async () => {
      const response = await fetch(`${runtime.url}/reservations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${buyer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sku, locationId, quantity: 1 }),
      });
      await response.arrayBuffer();
      if (response.status === 201) created.push(performance.now());
      return response.status === 201;
    });
    await runtime.events?.drain();
    const truth = await readLevel(deps, sku, locationId);
    const deadline = Date.now() + 120_000;
    const upToDate = (s: Subscriber) => s.view.get(topic, locationId)?.version === truth.version;
    while (!watching.every(upToDate) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lastHeld = Math.max(...watching.map((s) => s.heldAt.at(-1)?.at ?? started));

    const delays: number[] = [];
    created.sort((a, b) => a - b);
    for (const s of watching) {
      let j = 0;
      created.forEach((at, k) => {
        while (j < s.heldAt.length && (s.heldAt[j]?.version ?? 0) < baseVersion + k + 1) j++;
        const held = s.heldAt[j];
        if (held) delays.push(Math.max(0, held.at - at));
      });
    }
    delays.sort((a, b) => a - b);
    const deliveries = watching.reduce((sum, s) => sum + s.deliveries, 0);
    const wrong = watching.filter(
      (s) =>
        s.view.get(topic, locationId)?.available !== truth.available ||
        s.view.get(topic, locationId)?.version !== truth.version,
    ).length;
    return {
      subscribers,
      reserved: sale.succeeded,
      deliveries,
      deliveriesPerSec: Math.round(deliveries / Math.max(0.001, (lastHeld - started) / 1000)),
      delayP50Ms: Math.round(percentile(delays, 50)),
      delayP99Ms: Math.round(percentile(delays, 99)),
      subscribersWrongAtEnd: wrong,
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await runtime.stop();
    await dynamo.stop();
  }
}

/** `npm run bench -- --live`: only this scenario; a table on stderr, one JSON line on stdout. */
export async function liveOnly(quick: boolean, log: (line: string) => void): Promise<void> {
  const figures = await liveBench(quick, log);
  log(
    Object.entries(figures)
      .map(([name, value]) => `${name.padEnd(24)} ${value}`)
      .join('\n'),
  );
  process.stdout.write(`${JSON.stringify({ live: figures })}\n`);
}
