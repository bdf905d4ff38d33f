import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ItemWrite, WireItem } from '../shared/platform/store/capacity.js';

/** What one DynamoDB call wrote and read, with the images of the items it wrote (before and after). */
export interface RecordedCall {
  readonly operation: string;
  readonly writes: ItemWrite[];
  readonly reads: {
    readonly bytes: WireItem[];
    readonly consistent: boolean;
    readonly transactional: boolean;
  }[];
}

type Json = Record<string, unknown>;
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/**
 * A recording proxy in front of DynamoDB Local, for pricing operations (DynamoDB Local under-reports the capacity of
 * transactions): it forwards each call unchanged, and for a write reads the items it addresses before and after it
 * (consistent reads sent by the proxy itself, not recorded). Only for a benchmark pass that sends one call at a time.
 */
export async function startCapacityProxy(target: string) {
  let calls: RecordedCall[] = [];
  const send = async (operation: string, body: Json, headers: Record<string, string>) => {
    const response = await fetch(target, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      text: await response.text(),
      type: response.headers.get('content-type'),
    };
  };
  const image = async (table: string, key: Json, headers: Record<string, string>) => {
    const got = await send('GetItem', { TableName: table, Key: key, ConsistentRead: true }, headers);
    return ((JSON.parse(got.text) as { Item?: WireItem }).Item ?? null) as WireItem | null;
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const headers: Record<string, string> = {
      'content-type': String(req.headers['content-type'] ?? 'application/x-amz-json-1.0'),
      authorization: String(req.headers.authorization ?? ''),
      'x-amz-date': String(req.headers['x-amz-date'] ?? ''),
    };
    const body = (text ? JSON.parse(text) : {}) as Json;
    const targets = WRITES.has(operation) ? writeTargets(operation, body) : [];
    const before = await Promise.all(targets.map((t) => image(t.table, t.key, headers)));
    const forwarded = await send(operation, body, headers);
    const after = await Promise.all(targets.map((t) => image(t.table, t.key, headers)));
    if (forwarded.status === 200) {
      const transactional = operation === 'TransactWriteItems';
      calls.push({
        operation,
        writes: targets.map((t, i) => ({
          kind: t.kind,
          before: before[i] ?? null,
          after: after[i] ?? null,
          transactional,
        })),
        reads: readsOf(operation, body, JSON.parse(forwarded.text) as Json),
      });
    }
    res.writeHead(forwarded.status, { 'content-type': forwarded.type ?? 'application/x-amz-json-1.0' });
    res.end(forwarded.text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The calls recorded since the last take. */
    take: (): RecordedCall[] => {
      const taken = calls;
      calls = [];
      return taken;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function writeTargets(
  operation: string,
  body: Json,
): { table: string; key: Json; kind: ItemWrite['kind'] }[] {
  const keyOf = (item: Json) => ({ pk: item.pk, sk: item.sk });
  const table = String(body.TableName ?? '');
  if (operation === 'PutItem') return [{ table, key: keyOf(body.Item as Json), kind: 'put' }];
  if (operation === 'UpdateItem') return [{ table, key: body.Key as Json, kind: 'update' }];
  if (operation === 'DeleteItem') return [{ table, key: body.Key as Json, kind: 'delete' }];
  if (operation === 'TransactWriteItems')
    return (body.TransactItems as Json[]).map((t) => {
      if (t.Put) {
        const put = t.Put as Json;
        return { table: String(put.TableName), key: keyOf(put.Item as Json), kind: 'put' as const };
      }
      const [kind, part] = t.Update
        ? (['update', t.Update] as const)
        : t.Delete
          ? (['delete', t.Delete] as const)
          : (['check', t.ConditionCheck] as const);
      const p = part as Json;
      return { table: String(p.TableName), key: p.Key as Json, kind };
    });
  return Object.entries((body.RequestItems ?? {}) as Record<string, Json[]>).flatMap(([t, requests]) =>
    requests.map((r) =>
      r.PutRequest
        ? { table: t, key: keyOf((r.PutRequest as Json).Item as Json), kind: 'put' as const }
        : { table: t, key: (r.DeleteRequest as Json).Key as Json, kind: 'delete' as const },
    ),
  );
}

function readsOf(operation: string, body: Json, out: Json): RecordedCall['reads'] {
  const consistent = body.ConsistentRead === true;
  if (operation === 'GetItem')
    return [{ bytes: out.Item ? [out.Item as WireItem] : [], consistent, transactional: false }];
  if (operation === 'Query' || operation === 'Scan')
    return [{ bytes: (out.Items ?? []) as WireItem[], consistent, transactional: false }];
  if (operation === 'BatchGetItem')
    return Object.entries((out.Responses ?? {}) as Record<string, WireItem[]>).flatMap(([table, items]) =>
      items.map((item) => ({
        bytes: [item],
        consistent: Boolean(((body.RequestItems as Json)[table] as Json).ConsistentRead),
        transactional: false,
      })),
    );
  if (operation === 'TransactGetItems')
    return ((out.Responses ?? []) as Json[]).map((r) => ({
      bytes: r.Item ? [r.Item as WireItem] : [],
      consistent: true,
      transactional: true,
    }));
  return [];
}
