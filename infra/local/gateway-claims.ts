/**
 * How API Gateway's HTTP API JWT authorizer hands claims to a Lambda (payload 2.0): every value becomes a
 * string, an array is written `[a b c]`, an object as JSON. The local authorizer encodes claims the same way,
 * so that shared/platform/http/caller.ts reads in tests and on a laptop exactly what it reads in the cloud.
 */
export function gatewayClaims(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

/** The scopes API Gateway lists beside the claims: the `scope` (or `scp`) claim, split on spaces. */
export function gatewayScopes(payload: Readonly<Record<string, unknown>>): string[] | null {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  if (Array.isArray(scope)) return scope.map(String);
  return null;
}
