import type {
  AnythingBut,
  ContentFilter,
  EventPattern,
  ExactValue,
  IgnoreCase,
  Matcher,
  NumericOperator,
} from '../../shared/events/event-pattern.js';

export type { AnythingBut, ContentFilter, EventPattern, ExactValue, IgnoreCase, Matcher, NumericOperator };

/**
 * An EventBridge event-pattern matcher, so that the rules which route events on the bus in the cloud can be
 * evaluated the same way locally and in tests. Pure TypeScript: no AWS SDK, no I/O.
 *
 * Semantics (AWS EventBridge user guide: "Amazon EventBridge event patterns", "Content filtering in Amazon
 * EventBridge event patterns", "Comparison operators for use in event patterns"; and the README of AWS's Event
 * Ruler, the library behind EventBridge's matching):
 * - A pattern is an object. Every field named in it must match (AND); fields of the event that the pattern
 *   does not name are ignored. A nested object descends into the event's object at that field.
 * - A field's value in the pattern is an array of matchers; the field matches when any of them does (OR).
 * - When the event's value is an array, the field matches when any element matches. Arrays of objects are
 *   matched element by element: all the fields of a nested pattern must match within the same element.
 * - Matchers: exact values (string, number, boolean, null), `prefix`, `suffix` (each optionally
 *   `{ "equals-ignore-case": ... }`), `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, or
 *   `{ prefix | suffix | equals-ignore-case | wildcard }`), `numeric`, `exists`, `cidr`; and `$or`, an array of
 *   sub-patterns of which at least one must match, combined (AND) with the other fields at its level.
 * - String operators (prefix, suffix, equals-ignore-case, wildcard, cidr) match string values only, `numeric`
 *   number values only. `anything-but` matches any present value that it does not exclude.
 * - `exists` concerns leaf values only: an object is not a value of its field. `exists: false` matches when the
 *   field has no value, including when its parent object is absent.
 * - Numbers compare as numbers: 5 and 5.0 are the same value (JSON parsing already makes them one JS number).
 *
 * A malformed pattern is refused with an EventPatternError naming where it is wrong: by `validatePattern` at
 * startup, and by `matches` itself, which validates each pattern object once.
 */

/** A pattern that EventBridge would refuse. `path` says where, e.g. `detail.state[0]`. */
export class EventPatternError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Invalid event pattern at ${path || '(root)'}: ${reason}`);
    this.name = 'EventPatternError';
  }
}

const OR = '$or';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

const validated = new WeakSet<object>();

/** Throws an EventPatternError when `pattern` is not a well-formed EventBridge event pattern. */
export function validatePattern(pattern: unknown): asserts pattern is EventPattern {
  if (typeof pattern === 'object' && pattern !== null && validated.has(pattern)) return;
  checkPattern(pattern, '');
  validated.add(pattern as object);
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function checkPattern(pattern: unknown, path: string): void {
  if (!isObject(pattern))
    throw new EventPatternError(path, `a pattern must be a JSON object, not ${show(pattern)}`);
  const fields = Object.keys(pattern);
  if (fields.length === 0) throw new EventPatternError(path, 'a pattern object must name at least one field');
  for (const field of fields) {
    const value = pattern[field];
    const at = join(path, field);
    if (field === OR) {
      checkOr(value, at);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError(at, 'a field must list at least one matcher');
      value.forEach((m, i) => {
        checkMatcher(m, `${at}[${i}]`);
      });
    } else if (isObject(value)) {
      checkPattern(value, at);
    } else {
      throw new EventPatternError(
        at,
        `a field's value must be an array of matchers or a nested pattern object, not ${show(value)}`,
      );
    }
  }
}

function checkOr(value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length < 2) {
    throw new EventPatternError(path, '$or must be an array of at least two sub-patterns');
  }
  value.forEach((sub, i) => {
    checkPattern(sub, `${path}[${i}]`);
  });
}

const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;
type Operator = (typeof OPERATORS)[number];
const isOperator = (k: string): k is Operator => (OPERATORS as readonly string[]).includes(k);

function checkMatcher(m: unknown, path: string): void {
  if (m === null || typeof m === 'string' || typeof m === 'boolean') return;
  if (typeof m === 'number') {
    if (!Number.isFinite(m)) throw new EventPatternError(path, `${m} is not a JSON number`);
    return;
  }
  if (Array.isArray(m))
    throw new EventPatternError(path, 'a matcher cannot be an array (arrays do not nest)');
  if (!isObject(m)) throw new EventPatternError(path, `${show(m)} is not a valid matcher`);
  const keys = Object.keys(m);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined) {
    throw new EventPatternError(
      path,
      `a content filter must have exactly one operator, found ${keys.length ? keys.join(', ') : 'none'}`,
    );
  }
  if (!isOperator(operator)) {
    throw new EventPatternError(
      path,
      `unknown operator "${operator}"; expected one of ${OPERATORS.join(', ')} (a nested pattern is an object, not an array element)`,
    );
  }
  const arg = m[operator];
  const at = `${path}.${operator}`;
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (typeof arg === 'string') return;
      if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string')
        return;
      throw new EventPatternError(at, `${operator} takes a string or { "equals-ignore-case": string }`);
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new EventPatternError(at, 'equals-ignore-case takes a string');
      return;
    case 'wildcard':
      if (typeof arg !== 'string') throw new EventPatternError(at, 'wildcard takes a string');
      checkWildcard(arg, at);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new EventPatternError(at, 'exists takes true or false');
      return;
    case 'numeric':
      checkNumeric(arg, at);
      return;
    case 'cidr':
      if (typeof arg !== 'string' || parseCidr(arg) === null) {
        throw new EventPatternError(
          at,
          `${show(arg)} is not an IPv4 or IPv6 CIDR block such as "10.0.0.0/24"`,
        );
      }
      return;
    case 'anything-but':
      checkAnythingBut(arg, at);
      return;
  }
}

function checkWildcard(glob: string, path: string): void {
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      const next = glob[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new EventPatternError(path, 'a backslash in a wildcard may only escape * or \\');
      }
      i++;
    } else if (c === '*' && glob[i + 1] === '*') {
      throw new EventPatternError(path, 'consecutive wildcard characters are not allowed');
    }
  }
}

const LOWER_BOUNDS: readonly string[] = ['>', '>='];
const UPPER_BOUNDS: readonly string[] = ['<', '<='];
const NUMERIC_OPERATORS: readonly string[] = ['=', ...LOWER_BOUNDS, ...UPPER_BOUNDS];

function checkNumeric(arg: unknown, path: string): void {
  const shape = 'numeric takes [op, n] or a range such as [">", 0, "<=", 5]';
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) throw new EventPatternError(path, shape);
  for (let i = 0; i < arg.length; i += 2) {
    const op: unknown = arg[i];
    const n: unknown = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.includes(op)) {
      throw new EventPatternError(path, `${show(op)} is not a numeric operator (=, <, <=, >, >=); ${shape}`);
    }
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new EventPatternError(path, `the operand of "${op}" must be a number, not ${show(n)}`);
    }
  }
  if (arg.length === 4) {
    const [op1, n1, op2, n2] = arg as [string, number, string, number];
    const lower = LOWER_BOUNDS.includes(op1) ? n1 : LOWER_BOUNDS.includes(op2) ? n2 : undefined;
    const upper = UPPER_BOUNDS.includes(op1) ? n1 : UPPER_BOUNDS.includes(op2) ? n2 : undefined;
    if (lower === undefined || upper === undefined) {
      throw new EventPatternError(
        path,
        'a numeric range needs one lower bound (>, >=) and one upper bound (<, <=)',
      );
    }
    if (lower >= upper) {
      throw new EventPatternError(
        path,
        `the range's lower bound ${lower} must be below its upper bound ${upper}`,
      );
    }
  }
}

function checkAnythingBut(arg: unknown, path: string): void {
  if (typeof arg === 'string') return;
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg)) throw new EventPatternError(path, `${arg} is not a JSON number`);
    return;
  }
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new EventPatternError(path, 'anything-but takes a non-empty list');
    const allStrings = arg.every((v) => typeof v === 'string');
    const allNumbers = arg.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!allStrings && !allNumbers) {
      throw new EventPatternError(path, 'an anything-but list must hold only strings or only numbers');
    }
    return;
  }
  if (isObject(arg)) {
    const keys = Object.keys(arg);
    const [op] = keys;
    if (keys.length === 1 && (op === 'prefix' || op === 'suffix')) {
      if (typeof arg[op] !== 'string') {
        throw new EventPatternError(`${path}.${op}`, `anything-but ${op} takes a single string`);
      }
      return;
    }
    if (keys.length === 1 && (op === 'equals-ignore-case' || op === 'wildcard')) {
      const v = arg[op];
      const list: unknown[] = Array.isArray(v) ? v : [v];
      if (list.length === 0 || !list.every((s) => typeof s === 'string')) {
        throw new EventPatternError(
          `${path}.${op}`,
          `anything-but ${op} takes a string or a non-empty list of strings`,
        );
      }
      if (op === 'wildcard') {
        for (const s of list as string[]) checkWildcard(s, `${path}.${op}`);
      }
      return;
    }
    throw new EventPatternError(
      path,
      `anything-but takes a value, a list, or one of { prefix | suffix | equals-ignore-case | wildcard }, not ${show(arg)}`,
    );
  }
  throw new EventPatternError(path, `anything-but takes strings or numbers, not ${show(arg)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------------------------

/** Whether `event` matches `pattern`. Throws an EventPatternError when the pattern is malformed. */
export function matches(pattern: EventPattern, event: unknown): boolean {
  validatePattern(pattern);
  return matchObject(pattern, event);
}

/**
 * Matches a pattern object against the event's value at the same place. An array is matched element by
 * element (any may match, each on its own); a value that is not an object has no fields, so only fields that
 * accept absence (`exists: false`) can match there.
 */
function matchObject(pattern: EventPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = flatten(value);
    if (elements.length === 0) return matchObject(pattern, undefined);
    return elements.some((element) => matchObject(pattern, element));
  }
  const node = isObject(value) ? value : undefined;
  for (const field of Object.keys(pattern)) {
    const sub = pattern[field];
    if (field === OR) {
      const alternatives = sub as readonly EventPattern[];
      if (!alternatives.some((alternative) => matchObject(alternative, value))) return false;
      continue;
    }
    const eventValue = node !== undefined && Object.hasOwn(node, field) ? node[field] : undefined;
    const ok = Array.isArray(sub)
      ? matchField(sub as readonly Matcher[], eventValue)
      : matchObject(sub as EventPattern, eventValue);
    if (!ok) return false;
  }
  return true;
}

function flatten(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) out.push(...flatten(v));
    else out.push(v);
  }
  return out;
}

/** The leaf values of a field: its value, or the elements of its array (flattened), minus objects. */
function leavesOf(value: unknown): ExactValue[] {
  if (value === undefined) return [];
  const all = Array.isArray(value) ? flatten(value) : [value];
  return all.filter(
    (v): v is ExactValue =>
      v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
}

function matchField(matchers: readonly Matcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return leaves.length > 0 === m.exists;
    return leaves.some((leaf) => matchLeaf(m, leaf));
  });
}

function matchLeaf(m: Matcher, v: ExactValue): boolean {
  if (!isObject(m)) return sameValue(m, v);
  const filter = m as ContentFilter;
  if ('prefix' in filter) return typeof v === 'string' && startsWith(v, filter.prefix);
  if ('suffix' in filter) return typeof v === 'string' && endsWith(v, filter.suffix);
  if ('equals-ignore-case' in filter) {
    return typeof v === 'string' && fold(v) === fold(filter['equals-ignore-case']);
  }
  if ('wildcard' in filter) return typeof v === 'string' && wildcardMatches(filter.wildcard, v);
  if ('numeric' in filter) return typeof v === 'number' && numericMatches(filter.numeric, v);
  if ('cidr' in filter) return typeof v === 'string' && cidrMatches(filter.cidr, v);
  if ('anything-but' in filter) return !anythingButExcludes(filter['anything-but'], v);
  return false;
}

/**
 * Exact matching: same JSON type and same value. Numbers compare as numbers (5 and 5.0 parse to one JS number;
 * 0 and -0 are equal); a number never equals a string of its digits.
 */
function sameValue(a: ExactValue, b: ExactValue): boolean {
  return a === b;
}

/** Case folding for the ignore-case operators: lower case of the upper case, so that "ſ" folds like "s". */
function fold(s: string): string {
  return s.toUpperCase().toLowerCase();
}

function startsWith(v: string, prefix: string | IgnoreCase): boolean {
  if (typeof prefix === 'string') return v.startsWith(prefix);
  return fold(v).startsWith(fold(prefix['equals-ignore-case']));
}

function endsWith(v: string, suffix: string | IgnoreCase): boolean {
  if (typeof suffix === 'string') return v.endsWith(suffix);
  return fold(v).endsWith(fold(suffix['equals-ignore-case']));
}

/** Whether `anything-but` excludes the value `v` (the field then does not match on `v`). */
function anythingButExcludes(arg: AnythingBut, v: ExactValue): boolean {
  if (typeof arg === 'string' || typeof arg === 'number') return sameValue(arg, v);
  if (Array.isArray(arg)) return (arg as readonly ExactValue[]).some((x) => sameValue(x, v));
  const filter = arg as Exclude<AnythingBut, string | number | readonly unknown[]>;
  if (typeof v !== 'string') return false;
  if ('prefix' in filter) return v.startsWith(filter.prefix);
  if ('suffix' in filter) return v.endsWith(filter.suffix);
  if ('equals-ignore-case' in filter) {
    const values = filter['equals-ignore-case'];
    const list = typeof values === 'string' ? [values] : values;
    return list.some((s) => fold(s) === fold(v));
  }
  const globs = typeof filter.wildcard === 'string' ? [filter.wildcard] : filter.wildcard;
  return globs.some((g) => wildcardMatches(g, v));
}

function numericMatches(spec: readonly (NumericOperator | number)[], v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    if (!compare(spec[i] as NumericOperator, v, spec[i + 1] as number)) return false;
  }
  return true;
}

function compare(op: NumericOperator, v: number, n: number): boolean {
  switch (op) {
    case '=':
      return v === n;
    case '<':
      return v < n;
    case '<=':
      return v <= n;
    case '>':
      return v > n;
    case '>=':
      return v >= n;
  }
}

/**
 * `*` matches any sequence of characters (including none); `\*` is a literal star and `\\` a literal
 * backslash. Matched segment by segment, without a regular expression (so no catastrophic backtracking): the
 * first segment anchors the start, the last the end, and each middle one is taken at its leftmost place, which
 * is always a right choice when `*` is the only wildcard.
 */
function wildcardMatches(glob: string, v: string): boolean {
  const segments = splitWildcard(glob);
  const first = segments[0] ?? '';
  if (segments.length === 1) return v === first;
  const last = segments[segments.length - 1] ?? '';
  if (v.length < first.length + last.length) return false;
  if (!v.startsWith(first) || !v.endsWith(last)) return false;
  let from = first.length;
  const end = v.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    const at = v.indexOf(segment, from);
    if (at < 0 || at + segment.length > end) return false;
    from = at + segment.length;
  }
  return true;
}

/** The literal pieces between the unescaped stars of a wildcard. */
function splitWildcard(glob: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      current += glob[i + 1] ?? '';
      i++;
    } else if (c === '*') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments;
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses (cidr)
// ---------------------------------------------------------------------------------------------------------------

interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

interface Cidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly bits: number;
}

const widthOf = (version: 4 | 6): number => (version === 4 ? 32 : 128);

function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const address = parseIp(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (bits > widthOf(address.version)) return null;
  return { version: address.version, network: networkOf(address, bits), bits };
}

function networkOf(address: IpAddress, bits: number): bigint {
  const hostBits = BigInt(widthOf(address.version) - bits);
  return (address.value >> hostBits) << hostBits;
}

function cidrMatches(cidr: string, v: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIp(v);
  if (!block || !address || block.version !== address.version) return false;
  return networkOf(address, block.bits) === block.network;
}

function parseIp(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === null ? null : { version: 6, value: v6 };
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** The 16-bit groups of one side of an IPv6 address (the last group may be a dotted IPv4 address). */
function ipv6Groups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const pieces = text.split(':');
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    if (i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === null) return null;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = ipv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? ipv6Groups(halves[1] ?? '') : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail])
    value = (value << 16n) | BigInt(g);
  return value;
}
