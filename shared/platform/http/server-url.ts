import type { ApiEvent } from './request-state.js';

const HOST = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The API's base URL as this request reached it: its Host header (with the port), the scheme API Gateway
 * forwards (`x-forwarded-proto`; http without it, as in the local runtime), and the stage unless it is the
 * default one (served at the root). `/` when the host is missing or not a host name: a relative URL every
 * OpenAPI tool resolves against the document's own address.
 */
export function serverUrl(event: Pick<ApiEvent, 'headers' | 'requestContext'>): string {
  const host = event.headers?.host ?? event.requestContext?.domainName;
  if (!host || !HOST.test(host)) return '/';
  const scheme = event.headers?.['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  const stage = event.requestContext?.stage;
  const path = stage && stage !== '$default' && STAGE.test(stage) ? `/${stage}` : '';
  return `${scheme}://${host}${path}`;
}
