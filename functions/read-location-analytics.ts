import * as routes from '../shared/analytics/http/routes.js';
import { readLocationAnalytics } from '../shared/analytics/use-cases/read-analytics.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.readLocationAnalytics, config, async ({ input }) => {
  const { locationId } = input.path;
  const range = { from: Date.parse(input.query.from), to: Date.parse(input.query.to) };
  const result = await readLocationAnalytics(deps, locationId, range);
  return ok({
    scope: { locationId },
    granularity: 'hour' as const,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    ...result,
  });
});
