import type { Request } from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BusinessRuleError, ConcurrencyLimitError, DomainError } from '../../shared/kernel/errors.js';
import { problemErrors } from '../../shared/platform/http/middleware/problem-errors.js';
import type { ApiEvent, ApiResult } from '../../shared/platform/http/request-state.js';

class StrangeError extends DomainError {
  readonly code = 'something-new';
  readonly details = {};
}

function handle(error: unknown): {
  status: number | undefined;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
} {
  const request = {
    event: {
      rawPath: '/x',
      routeKey: 'GET /x',
      requestContext: { requestId: 'req-1' },
    } as unknown as ApiEvent,
    context: {},
    response: null,
    error,
    internal: {},
  } as unknown as Request<ApiEvent, ApiResult>;
  problemErrors().onError?.(request);
  const response = request.response;
  return {
    status: response?.statusCode,
    headers: response?.headers ?? {},
    body: JSON.parse(response?.body ?? '{}') as Record<string, unknown>,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('the error middleware', () => {
  it('answers an unexpected error with a bare 500 that names only the request id, and logs the error', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const reply = handle(new Error('connect ECONNREFUSED 10.0.0.7:8000 at secret-host'));
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: 'https://inventory.dev/problems/internal', requestId: 'req-1' });
    expect(JSON.stringify(reply.body)).not.toMatch(/ECONNREFUSED|secret-host|stack/);
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]?.[0])).toMatch(/ECONNREFUSED/);
  });

  it('answers a domain error with a code it does not know as a 500 too', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(handle(new StrangeError('odd')).status).toBe(500);
  });

  it('maps business rules to their own problem types, and contention to 503 with Retry-After', () => {
    expect(handle(new BusinessRuleError('active-hold-limit', 'too many')).body.type).toBe(
      'https://inventory.dev/problems/hold-limit-exceeded',
    );
    expect(handle(new BusinessRuleError('sharded-level-count', 'no')).body).toMatchObject({
      status: 422,
      rule: 'sharded-level-count',
    });
    const busy = handle(new ConcurrencyLimitError(2));
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('2');
  });
});
