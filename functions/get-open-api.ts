import { publicHandler } from '../shared/platform/http/handler.js';
import { openApiDocument } from '../shared/platform/http/openapi.js';
import { ok } from '../shared/platform/http/responses.js';
import * as routes from '../shared/platform/http/routes/meta.js';
import { serverUrl } from '../shared/platform/http/server-url.js';
import { coldStartConfig } from '../shared/platform/runtime/config.js';

const config = coldStartConfig();
// The bounds it states are those of the config this deployment runs with; only `servers` differs by request.
const document = openApiDocument({ config });

export const handler = publicHandler(routes.getOpenApi, config, async ({ event }) =>
  ok({ ...document, servers: [{ url: serverUrl(event) }] }),
);
