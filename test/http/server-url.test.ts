import { describe, expect, it } from 'vitest';
import { serverUrl } from '../../shared/platform/http/server-url.js';
import { fieldPlace } from '../../shared/platform/http/validation.js';

const event = (headers: Record<string, string>, stage = '$default') =>
  ({ headers, requestContext: { stage, domainName: 'abc.execute-api.eu-west-1.amazonaws.com' } }) as never;

describe('the server URL of the served OpenAPI document', () => {
  it.each([
    [{ host: 'localhost:3000' }, '$default', 'http://localhost:3000'],
    [{ host: '127.0.0.1:54321' }, '$default', 'http://127.0.0.1:54321'],
    [{ host: 'api.example.com', 'x-forwarded-proto': 'https' }, '$default', 'https://api.example.com'],
    [
      { host: 'abc.execute-api.eu-west-1.amazonaws.com', 'x-forwarded-proto': 'https' },
      'prod',
      'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
    ],
    [{ 'x-forwarded-proto': 'https' }, '$default', 'https://abc.execute-api.eu-west-1.amazonaws.com'],
    [{ host: 'evil.com/"><script>' }, '$default', '/'],
  ])('is taken from %o on stage %s as %s', (headers, stage, url) => {
    expect(serverUrl(event(headers, stage))).toBe(url);
  });

  it('is / when nothing names the host', () => {
    expect(serverUrl({ headers: {}, requestContext: {} } as never)).toBe('/');
  });
});

describe('where a field named by a domain rule is', () => {
  it.each([
    ['sku', 'query'],
    ['cursor', 'query'],
    ['reservationId', 'path'],
    ['to', 'body'],
    ['lines.0.sku', 'body'],
    ['stock[2].available', 'body'],
  ])('%s is in the %s', (field, place) => {
    const request = {
      pathParameters: { reservationId: 'R' },
      queryStringParameters: { sku: 'A', cursor: 'c' },
    };
    expect(fieldPlace(request, field)).toBe(place);
  });
});
