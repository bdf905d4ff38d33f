import { describe, expect, it } from 'vitest';
import type { LocationId, PrincipalId, Sku } from '../../shared/kernel/identifiers.js';
import { refusalOf } from '../../shared/live/domain/access.js';
import { LiveView } from '../../shared/live/domain/live-view.js';
import { parseClientMessage, type ServerMessage } from '../../shared/live/domain/messages.js';
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

  it('says whether a message changed the view, so a repeated one is known to be stale', () => {
    const view = new LiveView();
    expect(view.apply(delta('WH-1', 3, 2))).toBe(true);
    expect(view.apply(delta('WH-1', 3, 2))).toBe(false);
    expect(view.apply(delta('WH-1', 9, 1))).toBe(false);
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
});

describe('who may follow what', () => {
  const caller = (roles: string[], locations: string[] = []) => ({
    principal: 'p' as PrincipalId,
    roles: new Set(roles),
    locations: new Set(locations as LocationId[]),
  });
  const level = { kind: 'level', sku, locationId: 'WH-1' as LocationId } as const;
  const skuTopic = { kind: 'sku', sku } as const;

  it('lets a storefront follow a SKU and not a level', () => {
    expect(refusalOf(caller(['storefront']), skuTopic)).toBeNull();
    expect(refusalOf(caller(['storefront']), level)).toMatch(/warehouse and admin/);
  });

  it('lets a warehouse follow a level at its locations only, and not a SKU', () => {
    expect(refusalOf(caller(['warehouse'], ['WH-1']), level)).toBeNull();
    expect(refusalOf(caller(['warehouse'], ['WH-2']), level)).toBe('the caller may not see location WH-1');
    expect(refusalOf(caller(['warehouse'], ['WH-1']), skuTopic)).toMatch(/storefront and admin/);
  });

  it('lets an admin follow anything', () => {
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
