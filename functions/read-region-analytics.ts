import * as routes from '../shared/analytics/http/routes.js';
import { readRegionAnalytics } from '../shared/analytics/use-cases/read-analytics.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.readRegionAnalytics, config, async ({ input }) => {
  const { region } = input.path;
  const range = { from: Date.parse(input.query.from), to: Date.parse(input.query.to) };
  const result = await readRegionAnalytics(deps, region, range);
  return ok({
    scope: { region },
    granularity: 'hour' as const,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    ...result,
  });
});
