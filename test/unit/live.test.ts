import { describe, expect, it } from 'vitest';
import type { LocationId, PrincipalId, Sku } from '../../shared/kernel/identifiers.js';
import { refusalOf } from '../../shared/live/domain/access.js';
import { LiveView } from '../../shared/live/domain/live-view.js';
import { parseClientMessage, type ServerMessage, topicOf } from '../../shared/live/domain/messages.js';
import { parseTopic, type Topic, topicKey, topicsOfLevel } from '../../shared/live/domain/topic.js';
import {
  buildOpenConnection,
  buildSubscribe,
  buildSubscribersQuery,
} from '../../shared/live/store/requests/live-records.js';

const sku = 'TSHIRT' as Sku;
const topic = 'sku:TSHIRT';
const delta = (locationId: string, available: number, version: number): ServerMessage => ({
  type: 'delta',
  topic,
  sku,
  locationId: locationId as LocationId,
  available,
  version,
});
const snapshot = (locations: [string, number, number][]): ServerMessage => ({
  type: 'snapshot',
  topic,
  sku,
  available: locations.reduce((s, [, a]) => s + a, 0),
  locations: locations.map(([locationId, available, version]) => ({
    locationId: locationId as LocationId,
    available,
    version,
  })),
});

describe('the client-side rule of the live feed (LiveView)', () => {
  it('ends with the newest figures whatever the order of the deltas, duplicates included', () => {
    // Prepare: versions 2..5 of one level, in every order with each delivered twice
    const deltas = [delta('WH-1', 9, 2), delta('WH-1', 7, 3), delta('WH-1', 8, 4), delta('WH-1', 4, 5)];
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    for (const order of orders) {
      const view = new LiveView();
      view.apply(snapshot([['WH-1', 10, 1]]));

      // Act
      for (const i of [...order, ...order]) view.apply(deltas[i] as ServerMessage);

      // Assess
      expect(view.get(topic, 'WH-1'), order.join()).toEqual({ available: 4, version: 5 });
    }
  });

  it('keeps a delta that arrived before an older snapshot', () => {
    const view = new LiveView();
    view.apply(delta('WH-1', 3, 7));
    view.apply(
      snapshot([
        ['WH-1', 5, 6],
        ['WH-2', 2, 1],
      ]),
    );
    expect(view.get(topic, 'WH-1')).toEqual({ available: 3, version: 7 });
    expect(view.total(topic)).toBe(5);
  });

  it("keeps a location's levels apart by SKU, from its snapshot pages and its deltas", () => {
    // Prepare
    const figures = (available: number, version: number) => ({
      onHand: available,
      reserved: 0,
      committed: 0,
      unavailable: 0,
      safetyStock: 0,
      incoming: 0,
      available,
      version,
    });
    const at = 'location:WH-1';
    const wh1 = 'WH-1' as LocationId;
    const view = new LiveView();

    // Act
    view.apply({ type: 'delta', topic: at, sku: 'B' as Sku, locationId: wh1, level: figures(1, 9) });
    view.apply({
      type: 'snapshot',
      topic: at,
      locationId: wh1,
      more: true,
      levels: [{ sku: 'A' as Sku, level: figures(5, 2) }],
    });
    view.apply({
      type: 'snapshot',
      topic: at,
      locationId: wh1,
      more: false,
      levels: [{ sku: 'B' as Sku, level: figures(4, 8) }],
    });
    view.apply({ type: 'delta', topic: at, sku: 'A' as Sku, locationId: wh1, level: figures(3, 3) });

    // Assess
    expect(view.get(at, 'A')).toMatchObject({ available: 3, version: 3 });
    expect(view.get(at, 'B')).toMatchObject({ available: 1, version: 9 });
    expect(view.total(at)).toBe(4);
  });

  it('says whether a message changed the view, so a repeated one is known to be stale', () => {
    const view = new LiveView();
    expect(view.apply(delta('WH-1', 3, 2))).toBe(true);
    expect(view.apply(delta('WH-1', 3, 2))).toBe(false);
    expect(view.apply(delta('WH-1', 9, 1))).toBe(false);
  });
});

describe("the live feed's topics", () => {
  it.each([
    ['sku:TSHIRT', { kind: 'sku', sku: 'TSHIRT' }],
    ['sku:A:B.c', { kind: 'sku', sku: 'A:B.c' }],
    ['level:TSHIRT@WH-1', { kind: 'level', sku: 'TSHIRT', locationId: 'WH-1' }],
    ['level:A:B@WH_2', { kind: 'level', sku: 'A:B', locationId: 'WH_2' }],
    ['location:WH-1', { kind: 'location', locationId: 'WH-1' }],
  ] as const)('parse %s and format it back to the same key', (key, topic) => {
    expect(parseTopic(key)).toEqual(topic);
    expect(topicKey(topic as Topic)).toBe(key);
  });

  it.each([
    '',
    'location:',
    'location:WH 1',
    'location:WH-1@X',
    'location:#',
    `location:${'W'.repeat(33)}`,
    'sku:',
    'sku:a b',
    'level:TSHIRT',
    'level:TSHIRT@',
    'level:@WH-1',
    'level:TSHIRT@WH-1@WH-2',
    'warehouse:WH-1',
    'LOCATION:WH-1',
  ])('refuse the key %j', (key) => {
    expect(parseTopic(key)).toBeNull();
  });

  it("make a level's change concern its SKU, the level and its location", () => {
    expect(topicsOfLevel(sku, 'WH-1' as LocationId).map(topicKey)).toEqual([
      'sku:TSHIRT',
      'level:TSHIRT@WH-1',
      'location:WH-1',
    ]);
  });
});

describe("the live feed's messages", () => {
  it.each([
    ['not JSON', 'nope', 'bad-request', undefined],
    ['an unknown action', '{"action":"dance"}', 'unknown-action', 'action'],
    ['no action', '{"sku":"A"}', 'unknown-action', 'action'],
    ['a bad SKU', '{"action":"subscribe","sku":"a b"}', 'bad-request', 'sku'],
    ['a bad location', '{"action":"subscribe","sku":"A","locationId":"#"}', 'bad-request', 'locationId'],
    ['a missing SKU', '{"action":"unsubscribe"}', 'bad-request', 'sku'],
    ['a location without a SKU or topic', '{"action":"subscribe","locationId":"WH-1"}', 'bad-request', 'sku'],
    ['a topic of no known form', '{"action":"subscribe","topic":"warehouse:WH-1"}', 'bad-request', 'topic'],
    ['a topic with a bad location', '{"action":"subscribe","topic":"location:W H"}', 'bad-request', 'topic'],
    ['an empty location topic', '{"action":"unsubscribe","topic":"location:"}', 'bad-request', 'topic'],
    ['a topic that is no string', '{"action":"subscribe","topic":7}', 'bad-request', 'topic'],
    [
      'a topic beside a SKU',
      '{"action":"subscribe","topic":"location:WH-1","sku":"A"}',
      'bad-request',
      'topic',
    ],
    [
      'a topic beside a location',
      '{"action":"subscribe","topic":"location:WH-1","locationId":"WH-1"}',
      'bad-request',
      'topic',
    ],
  ])('answer %s with an error naming the field', (_, body, code, field) => {
    expect(parseClientMessage(body)).toMatchObject({ type: 'error', code, ...(field ? { field } : {}) });
  });

  it('parse a subscription to a level', () => {
    expect(parseClientMessage('{"action":"subscribe","sku":"A","locationId":"WH-1","id":"r1"}')).toEqual({
      action: 'subscribe',
      sku: 'A',
      locationId: 'WH-1',
      id: 'r1',
    });
  });

  it('parse a subscription to a location by its topic', () => {
    const message = parseClientMessage('{"action":"subscribe","topic":"location:WH-1","id":"r2"}');
    expect(message).toEqual({ action: 'subscribe', topic: 'location:WH-1', id: 'r2' });
    expect(topicOf(message as { topic: string })).toEqual({ kind: 'location', locationId: 'WH-1' });
  });
});

describe('who may follow what', () => {
  const caller = (roles: string[], locations: string[] = []) => ({
    principal: 'p' as PrincipalId,
    roles: new Set(roles),
    locations: new Set(locations as LocationId[]),
  });
  const level = { kind: 'level', sku, locationId: 'WH-1' as LocationId } as const;
  const skuTopic = { kind: 'sku', sku } as const;
  const location = { kind: 'location', locationId: 'WH-1' as LocationId } as const;

  it('lets a storefront follow a SKU and not a level', () => {
    expect(refusalOf(caller(['storefront']), skuTopic)).toBeNull();
    expect(refusalOf(caller(['storefront']), level)).toMatch(/warehouse and admin/);
  });

  it('lets a warehouse follow a level at its locations only, and not a SKU', () => {
    expect(refusalOf(caller(['warehouse'], ['WH-1']), level)).toBeNull();
    expect(refusalOf(caller(['warehouse'], ['WH-2']), level)).toBe('the caller may not see location WH-1');
    expect(refusalOf(caller(['warehouse'], ['WH-1']), skuTopic)).toMatch(/storefront and admin/);
  });

  it('lets a warehouse follow a whole location in its scope only, as a level, and a storefront not at all', () => {
    expect(refusalOf(caller(['warehouse'], ['WH-2', 'WH-1']), location)).toBeNull();
    expect(refusalOf(caller(['warehouse'], ['WH-2']), location)).toBe('the caller may not see location WH-1');
    expect(refusalOf(caller(['warehouse']), location)).toBe('the caller may not see location WH-1');
    expect(refusalOf(caller(['storefront'], ['WH-1']), location)).toMatch(/warehouse and admin/);
    expect(refusalOf(caller(['analyst'], ['WH-1']), location)).toMatch(/warehouse and admin/);
  });

  it('lets an admin follow anything', () => {
    expect(refusalOf(caller(['admin']), location)).toBeNull();
    expect(refusalOf(caller(['admin']), level)).toBeNull();
    expect(refusalOf(caller(['admin']), skuTopic)).toBeNull();
  });
});

describe("the live feed's requests", () => {
  it('take a caller slot that is free or whose connection is past its end, with the connection, in one transaction', () => {
    const request = buildOpenConnection(
      'T',
      { connectionId: 'c1=', principal: 'p1' as PrincipalId, connectedAt: 1_000, expiresAt: 7_201_000 },
      2,
    );
    expect(request.TransactItems?.[0]?.Put).toMatchObject({
      Item: {
        pk: 'LIVE#CALLER#p1',
        sk: 'SLOT#2',
        connectionId: 'c1=',
        expiresAt: 7_201_000,
        ttl: 7_201 + 3_600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': 1_000 },
    });
    expect(request.TransactItems?.[1]?.Put).toMatchObject({
      Item: { pk: 'LIVE#CONNECTION#c1=', sk: 'CONNECTION', principal: 'p1', slot: 2 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('bound the topics of a connection in the subscribe transaction, and put the subscription in the topic partition', () => {
    const request = buildSubscribe('T', 'c1=', 'sku:A', 50, 9_000);
    expect(request.TransactItems?.[0]?.Update).toMatchObject({
      Key: { pk: 'LIVE#CONNECTION#c1=', sk: 'CONNECTION' },
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(topics) OR (size(topics) < :max AND NOT contains(topics, :key)))',
      ExpressionAttributeValues: { ':topic': new Set(['sku:A']), ':key': 'sku:A', ':max': 50 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(request.TransactItems?.[1]?.Put?.Item).toMatchObject({
      pk: 'LIVE#TOPIC#sku:A',
      sk: 'CONNECTION#c1=',
    });
  });

  it('read the subscribers of a topic strongly consistent', () => {
    expect(buildSubscribersQuery('T', 'level:A@WH-1')).toMatchObject({
      ExpressionAttributeValues: { ':pk': 'LIVE#TOPIC#level:A@WH-1' },
      ConsistentRead: true,
    });
  });
});
