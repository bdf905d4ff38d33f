import { HttpProblem } from './problem.js';

export interface RawBody {
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export type JsonBody = { readonly present: false } | { readonly present: true; readonly value: unknown };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `application/json`, optionally with `charset=utf-8`; anything else is refused with 415. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((p) => p === '' || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

/**
 * The JSON body of a request, checked in order: size (413), content type (415), UTF-8 and JSON syntax (400).
 * An empty body is absent, whatever the content type.
 */
export function readJsonBody(event: RawBody, maxBytes: number): JsonBody {
  if (event.body === undefined || event.body === '') return { present: false };
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > maxBytes) {
    throw new HttpProblem(
      'payload-too-large',
      `the body is ${bytes.byteLength} bytes; at most ${maxBytes} are accepted`,
      {
        maxBytes,
      },
    );
  }
  if (!isJsonContentType(event.headers['content-type'])) {
    throw new HttpProblem(
      'unsupported-media-type',
      `the body must be sent as application/json (got ${event.headers['content-type'] ?? 'no content type'})`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpProblem('malformed-request', 'the body is not valid UTF-8', { field: 'body' });
  }
  try {
    return { present: true, value: JSON.parse(text) };
  } catch {
    throw new HttpProblem('malformed-request', 'the body is not valid JSON', { field: 'body' });
  }
}
