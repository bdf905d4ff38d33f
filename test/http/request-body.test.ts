import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../../shared/platform/http/problem.js';
import { isJsonContentType, type RawBody, readJsonBody } from '../../shared/platform/http/request-body.js';

const event = (body: string | undefined, contentType?: string, isBase64Encoded = false): RawBody => ({
  body,
  isBase64Encoded,
  headers: contentType ? { 'content-type': contentType } : {},
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof HttpProblem ? error.code : error;
  }
};

describe('reading a JSON body', () => {
  it('reads JSON sent as text or base64-encoded', () => {
    expect(readJsonBody(event('{"a":1}', 'application/json'), 100)).toEqual({
      present: true,
      value: { a: 1 },
    });
    const encoded = Buffer.from('{"a":2}').toString('base64');
    expect(readJsonBody(event(encoded, 'application/json', true), 100)).toEqual({
      present: true,
      value: { a: 2 },
    });
  });

  it('treats an empty body as absent, whatever its content type', () => {
    expect(readJsonBody(event(undefined), 10)).toEqual({ present: false });
    expect(readJsonBody(event('', 'text/plain'), 10)).toEqual({ present: false });
  });

  it('checks size first (413), then content type (415), then syntax (400)', () => {
    expect(codeOf(() => readJsonBody(event('{"a":"é"}', 'text/plain'), 5))).toBe('payload-too-large');
    expect(codeOf(() => readJsonBody(event('{"a":1}', 'text/plain'), 100))).toBe('unsupported-media-type');
    expect(codeOf(() => readJsonBody(event('{"a":1}'), 100))).toBe('unsupported-media-type');
    expect(codeOf(() => readJsonBody(event('{"a":', 'application/json'), 100))).toBe('malformed-request');
    const latin1 = Buffer.from([0x22, 0xe9, 0x22]).toString('base64');
    expect(codeOf(() => readJsonBody(event(latin1, 'application/json', true), 100))).toBe(
      'malformed-request',
    );
  });

  it('counts the size in bytes, not characters', () => {
    expect(codeOf(() => readJsonBody(event('"éééé"', 'application/json'), 9))).toBe('payload-too-large');
    expect(readJsonBody(event('"éééé"', 'application/json'), 10)).toEqual({ present: true, value: 'éééé' });
  });

  it('takes application/json with an optional UTF-8 charset only', () => {
    for (const ok of [
      'application/json',
      'Application/JSON',
      'application/json; charset=utf-8',
      'application/json;charset="UTF-8"',
    ]) {
      expect(isJsonContentType(ok), ok).toBe(true);
    }
    for (const bad of [
      'text/json',
      'application/json; charset=latin1',
      'application/jsonp',
      'application/problem+json',
    ]) {
      expect(isJsonContentType(bad), bad).toBe(false);
    }
  });
});
