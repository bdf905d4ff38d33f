import { publicHandler } from '../shared/http/handler.js';
import { openApiDocument } from '../shared/http/openapi.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/meta.js';
import { serverUrl } from '../shared/http/server-url.js';
import { coldStartConfig } from '../shared/runtime/deps.js';

const config = coldStartConfig();
// The bounds it states are those of the config this deployment runs with; only `servers` differs by request.
const document = openApiDocument({ config });

export const handler = publicHandler(routes.getOpenApi, config, async ({ event }) =>
  ok({ ...document, servers: [{ url: serverUrl(event) }] }),
);
