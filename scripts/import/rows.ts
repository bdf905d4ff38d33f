import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type * as z from 'zod';
import { batchRowSchema } from '../../shared/bulk/http/schemas.js';
import { canonicalJson } from '../../shared/kernel/fingerprint.js';

/**
 * Reading a stock file for `npm run import`: CSV (a header naming its columns) or JSON Lines (one API row per
 * line), streamed, so that a file is never held in memory whole. Each row is validated with the batch route's
 * own schema, before anything is sent.
 */
export type Format = 'csv' | 'jsonl';
export type BatchRowJson = z.input<typeof batchRowSchema>;

/** The columns of a CSV stock file: `quantity` is a receipt's, block's or unblock's units, an adjustment's signed delta, a count's counted on-hand. */
export const CSV_REQUIRED = ['op', 'sku', 'locationId', 'quantity'] as const;
export const CSV_OPTIONAL = ['expectedVersion', 'reason', 'error'] as const;
const CSV_COLUMNS: readonly string[] = [...CSV_REQUIRED, ...CSV_OPTIONAL];

/** One record of the file as written, with its line: what a failed-rows file repeats. */
export interface FileRecord {
  readonly line: number;
  readonly source: Readonly<Record<string, unknown>>;
}

export interface ParsedRow extends FileRecord {
  readonly row: BatchRowJson;
}

export interface RowError {
  readonly line: number;
  readonly message: string;
}

export function formatOf(path: string): Format | null {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return null;
}

export class FileError extends Error {}

/** The file's records, one by one, with their line numbers (a bad header or bad JSON is a record error). */
export async function* records(path: string, format: Format): AsyncGenerator<FileRecord | RowError> {
  if (format === 'jsonl') {
    let line = 0;
    for await (const text of createInterface({
      input: createReadStream(path),
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      line++;
      if (text.trim() === '') continue;
      try {
        const source: unknown = JSON.parse(text);
        if (typeof source !== 'object' || source === null || Array.isArray(source))
          yield { line, message: 'must be a JSON object (one row per line)' };
        else yield { line, source: source as Record<string, unknown> };
      } catch {
        yield { line, message: 'is not valid JSON' };
      }
    }
    return;
  }
  const parser = createReadStream(path).pipe(
    parse({ info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }),
  );
  let header: string[] | null = null;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (!header) {
      header = record;
      const unknown = header.filter((c) => !CSV_COLUMNS.includes(c));
      const missing = CSV_REQUIRED.filter((c) => !header?.includes(c));
      if (unknown.length || missing.length) {
        const why = [
          unknown.length
            ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}`
            : '',
          missing.length
            ? `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')}`
            : '',
        ]
          .filter(Boolean)
          .join('; ');
        throw new FileError(
          `line ${info.lines}: ${why}. The header must name ${CSV_REQUIRED.join(',')} and may add ${CSV_OPTIONAL.join(',')}.`,
        );
      }
      continue;
    }
    if (record.length !== header.length) {
      yield { line: info.lines, message: `has ${record.length} fields, the header has ${header.length}` };
      continue;
    }
    yield { line: info.lines, source: Object.fromEntries(header.map((c, i) => [c, record[i] ?? ''])) };
  }
  if (!header) throw new FileError('the file is empty: a CSV stock file starts with its header line');
}

const INTEGER = /^-?\d{1,16}$/;

/** A CSV record as the API's row, or what is wrong with it. */
function fromCsv(source: Readonly<Record<string, unknown>>): Record<string, unknown> | string {
  const text = (name: string) => String(source[name] ?? '').trim();
  const number = (name: string): number | string =>
    INTEGER.test(text(name)) ? Number(text(name)) : `${name} '${text(name)}' is not a whole number`;
  const op = text('op');
  const quantity = number('quantity');
  if (typeof quantity === 'string') return quantity;
  const common = {
    sku: text('sku'),
    locationId: text('locationId'),
    ...(text('reason') ? { reason: text('reason') } : {}),
  };
  switch (op) {
    case 'receipt':
    case 'block':
    case 'unblock':
      return { op, ...common, quantity };
    case 'adjustment':
      return { op, ...common, delta: quantity };
    case 'count': {
      if (!text('expectedVersion'))
        return 'a count needs expectedVersion (the version the count was made against)';
      const expectedVersion = number('expectedVersion');
      if (typeof expectedVersion === 'string') return expectedVersion;
      return { op, ...common, onHand: quantity, expectedVersion };
    }
    default:
      return `op '${op}' must be one of receipt, adjustment, count, block, unblock`;
  }
}

/** A CSV column's name for an API field (a count's onHand and an adjustment's delta are the quantity column). */
const columnOf = (format: Format, field: string) =>
  format === 'csv' && (field === 'onHand' || field === 'delta') ? 'quantity' : field;

/** The row of a record, validated by the batch route's schema, or the record's error. */
export function toRow(format: Format, record: FileRecord): ParsedRow | RowError {
  const { error: _ignored, ...source } = record.source;
  const candidate = format === 'csv' ? fromCsv(source) : source;
  if (typeof candidate === 'string') return { line: record.line, message: candidate };
  const parsed = batchRowSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    const missing = field !== '' && (candidate as Record<string, unknown>)[field] === undefined;
    const message = missing ? 'is required' : (issue?.message ?? 'is not valid');
    return { line: record.line, message: field ? `${columnOf(format, field)} ${message}` : message };
  }
  return { line: record.line, source: record.source, row: candidate as BatchRowJson };
}

export interface Validation {
  readonly rows: number;
  readonly errors: readonly RowError[];
  /** Identifies the file's content: the row keys derive from it and the line. */
  readonly fileId: string;
}

/**
 * The first pass: every row validated, exact duplicates found (by a digest per row, the one thing kept in
 * memory per row), and the content hashed for the row keys.
 */
export async function validateFile(path: string, format: Format): Promise<Validation> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  let rows = 0;
  for await (const record of records(path, format)) {
    if ('message' in record) {
      errors.push(record);
      continue;
    }
    rows++;
    const row = toRow(format, record);
    if ('message' in row) {
      errors.push(row);
      continue;
    }
    const digest = createHash('sha1').update(canonicalJson(row.row)).digest('base64');
    const first = seen.get(digest);
    if (first !== undefined) {
      errors.push({
        line: row.line,
        message: `repeats line ${first} exactly (give each row its own reason if both are meant)`,
      });
    } else seen.set(digest, row.line);
  }
  return { rows, errors, fileId: hash.digest('hex').slice(0, 24) };
}

/** The idempotency key of a row: the file's content and the row's line, so that a rerun replays, never reapplies. */
export const rowKey = (fileId: string, line: number): string => `import:${fileId}:${line}`;
