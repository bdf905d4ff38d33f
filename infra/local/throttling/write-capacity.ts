/**
 * What a DynamoDB write request costs, and where, read from its wire form (the JSON body the SDK sends): the
 * write capacity units it takes from each item it writes, from each partition they live in, and from each
 * index partition its new items enter. Pure, for the throttling simulation (throttling-middleware.ts).
 *
 * The costs are DynamoDB's: 1 WCU per KB written, doubled inside a transaction (prepare and commit, a
 * ConditionCheck included); a new item with an index key also writes 1 WCU to that index partition. Simplified:
 * the size of an item is estimated from what the request carries (the item of a Put, the key and values of an
 * Update), an Update or Delete is not charged to the index partitions of the item it changes (the request does
 * not say them), and reads cost nothing here.
 */
export type AttributeValueJson = Record<string, unknown>;

/** Where the charges of one written item go. */
export interface ItemCharge {
  /** The item (table partition and sort key values). */
  readonly item: string;
  /** The partition key value of the item. */
  readonly partitionKey: string;
  /** Index partitions the item enters (`index:value`). */
  readonly indexPartitions: readonly string[];
  /** Units this item costs on the table. */
  readonly units: number;
}

export interface WriteCost {
  readonly operation: 'TransactWriteItems' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';
  /** One entry per written item, in the request's order (a transaction's cancellation reasons follow it). */
  readonly items: readonly ItemCharge[];
}

/** The index key attributes of the table (shared/platform/store/table-definition.ts) and their index. */
export const INDEX_KEYS: Readonly<Record<string, string>> = {
  expiryBucket: 'expiry',
  holdLevel: 'levelHolds',
};

const KB = 1024;

/** The cost of a request, or null when it writes nothing (a read, a table call). */
export function writeCost(target: string, body: string): WriteCost | null {
  const operation = target.split('.').pop() ?? '';
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem': {
      const input = JSON.parse(body) as Record<string, unknown>;
      return { operation, items: [chargeOf(operation, input, 1)] };
    }
    case 'TransactWriteItems': {
      const input = JSON.parse(body) as { TransactItems?: Record<string, Record<string, unknown>>[] };
      const items = (input.TransactItems ?? []).map((entry) => {
        const [kind, action] = Object.entries(entry)[0] ?? ['', {}];
        return chargeOf(kind, action, 2);
      });
      return { operation, items };
    }
    case 'BatchWriteItem': {
      const input = JSON.parse(body) as { RequestItems?: Record<string, Record<string, unknown>[]> };
      const items = Object.values(input.RequestItems ?? {}).flatMap((requests) =>
        requests.map((request) =>
          request.PutRequest
            ? chargeOf('Put', request.PutRequest as Record<string, unknown>, 1)
            : chargeOf('Delete', (request.DeleteRequest ?? {}) as Record<string, unknown>, 1),
        ),
      );
      return { operation, items };
    }
    default:
      return null;
  }
}

function chargeOf(kind: string, action: Record<string, unknown>, factor: number): ItemCharge {
  const isPut = kind === 'Put' || kind === 'PutItem';
  const item = (isPut ? action.Item : action.Key) as Record<string, AttributeValueJson> | undefined;
  const pk = scalar(item?.pk);
  const sk = scalar(item?.sk);
  const written = isPut ? action.Item : { key: action.Key, values: action.ExpressionAttributeValues };
  const bytes = JSON.stringify(written ?? {}).length;
  const indexPartitions = isPut
    ? Object.entries(INDEX_KEYS).flatMap(([attribute, index]) => {
        const value = item?.[attribute];
        return value ? [`${index}:${scalar(value)}`] : [];
      })
    : [];
  return {
    item: `${pk}|${sk}`,
    partitionKey: pk,
    indexPartitions,
    units: factor * Math.max(1, Math.ceil(bytes / KB)),
  };
}

function scalar(value: AttributeValueJson | undefined): string {
  if (!value) return '';
  const v = value.S ?? value.N ?? value.B;
  return typeof v === 'string' ? v : JSON.stringify(value);
}
