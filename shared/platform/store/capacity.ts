/**
 * DynamoDB capacity units from item sizes, as AWS bills them (DynamoDB Local under-reports transactions): pure
 * code over items in DynamoDB's wire form (AttributeValue maps), used by `npm run bench` to price each operation.
 *
 * Sizes (AWS "Item sizes and formats"): an attribute is its name's UTF-8 length plus its value: a string its UTF-8
 * length, a number 1 byte per two significant digits plus 1, binary its length, a boolean or null 1 byte, a map or
 * list 3 bytes plus 1 per element plus the elements (a map's with their names), a set the sum of its members.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: boolean }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };
export type WireItem = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** A number's size: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1. */
export function numberSize(n: string): number {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Base64 length to bytes (the wire form of binary). */
const binarySize = (b64: string) =>
  Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

export function valueSize(v: AttributeValue): number {
  if ('S' in v) return utf8(v.S);
  if ('N' in v) return numberSize(v.N);
  if ('B' in v) return binarySize(v.B);
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('SS' in v) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if ('NS' in v) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in v) return v.BS.reduce((n, s) => n + binarySize(s), 0);
  if ('L' in v) return 3 + v.L.reduce((n, e) => n + 1 + valueSize(e), 0);
  return 3 + Object.entries(v.M).reduce((n, [k, e]) => n + 1 + utf8(k) + valueSize(e), 0);
}

export function itemSize(item: WireItem | null | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [name, v]) => n + utf8(name) + valueSize(v), 0);
}

/** Write units of one item written: 1 per KB (rounded up) of the larger of its sizes before and after, ×2 in a transaction. */
export function writeUnits(before: number, after: number, transactional: boolean): number {
  const units = Math.max(1, Math.ceil(Math.max(before, after) / 1024));
  return transactional ? 2 * units : units;
}

/** Read units of items read together (a GetItem, a Query's page): 1 per 4 KB, ½ when eventually consistent, ×2 in a transaction. */
export function readUnits(bytes: number, options: { consistent: boolean; transactional?: boolean }): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  if (options.transactional) return 2 * units;
  return options.consistent ? units : units / 2;
}

export interface IndexSpec {
  readonly partitionKey: string;
  readonly sortKey: string;
  /** The attributes it projects besides the keys (the table's and its own). */
  readonly projected: readonly string[];
}

/** The index entry of an item (its keys and projected attributes), or null when the item is not in the index. */
export function indexEntry(
  item: WireItem | null,
  index: IndexSpec,
  tableKeys: readonly string[],
): WireItem | null {
  if (!item || !(index.partitionKey in item) || !(index.sortKey in item)) return null;
  const names = [...tableKeys, index.partitionKey, index.sortKey, ...index.projected];
  return Object.fromEntries(names.filter((n) => n in item).map((n) => [n, item[n] as AttributeValue]));
}

/**
 * Write units an index spends on one item's write (never doubled by a transaction): an entry added, removed or
 * changed costs 1 per KB; one whose index keys changed costs a delete and a put.
 */
export function indexWriteUnits(
  before: WireItem | null,
  after: WireItem | null,
  index: IndexSpec,
  tableKeys: readonly string[],
): number {
  const old = indexEntry(before, index, tableKeys);
  const next = indexEntry(after, index, tableKeys);
  if (!old && !next) return 0;
  if (!old || !next) return writeUnits(itemSize(old), itemSize(next), false);
  const keyMoved = [index.partitionKey, index.sortKey].some(
    (k) => JSON.stringify(old[k]) !== JSON.stringify(next[k]),
  );
  if (keyMoved) return writeUnits(itemSize(old), 0, false) + writeUnits(0, itemSize(next), false);
  return JSON.stringify(old) === JSON.stringify(next) ? 0 : writeUnits(itemSize(old), itemSize(next), false);
}

export interface ItemWrite {
  /** `check`: a transaction's ConditionCheck, billed as a write of the item. */
  readonly kind: 'put' | 'update' | 'delete' | 'check';
  readonly before: WireItem | null;
  readonly after: WireItem | null;
  readonly transactional: boolean;
}

export interface Capacity {
  readonly wcu: number;
  readonly indexWcu: number;
  readonly rcu: number;
}

/** The capacity of the writes of one operation: the table's units and its indexes'. */
export function writeCapacity(
  writes: readonly ItemWrite[],
  indexes: readonly IndexSpec[],
  tableKeys: readonly string[],
): Capacity {
  let wcu = 0;
  let indexWcu = 0;
  for (const w of writes) {
    wcu += writeUnits(itemSize(w.before), w.kind === 'check' ? 0 : itemSize(w.after), w.transactional);
    if (w.kind !== 'check')
      for (const index of indexes) indexWcu += indexWriteUnits(w.before, w.after, index, tableKeys);
  }
  return { wcu, indexWcu, rcu: 0 };
}
