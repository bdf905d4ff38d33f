import { parseReference } from './types.js';

/** A CSV file read for the batch API: each data row an object of its header's names, its integer fields as numbers, a
 * `reference` written `type:id` as the API's `{type, id}`. */
export interface CsvRows {
  readonly header: readonly string[];
  /** Each row with its line number in the file (1 is the header). */
  readonly rows: readonly { readonly line: number; readonly values: Record<string, unknown> }[];
}

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
function records(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) out.push({ line: startLine, fields });
      fields = [];
      field = '';
      line++;
      startLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f !== '')) out.push({ line: startLine, fields });
  return out;
}

const NUMBER = /^-?[0-9]+$/;
/** The batch rows' integer fields (a SKU or a reference of digits stays text). */
const NUMERIC_FIELDS = new Set(['quantity', 'delta', 'onHand', 'expectedVersion']);

export function parseCsv(text: string): CsvRows {
  const [head, ...body] = records(text.replace(/^\uFEFF/, ''));
  const header = (head?.fields ?? []).map((h) => h.trim());
  const rows = body.map(({ line, fields }) => {
    const values: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const raw = (fields[i] ?? '').trim();
      if (raw === '') return;
      if (name === 'reference') values[name] = parseReference(raw);
      else values[name] = NUMERIC_FIELDS.has(name) && NUMBER.test(raw) ? Number(raw) : raw;
    });
    return { line, values };
  });
  return { header, rows };
}
