import { publicHandler } from '../shared/http/handler.js';
import { openApiDocument } from '../shared/http/openapi.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/meta.js';
import { coldStartConfig } from '../shared/runtime/config.js';

const config = coldStartConfig();
const document = openApiDocument();

export const handler = publicHandler(routes.getOpenApi, config, async () => ok(document));
