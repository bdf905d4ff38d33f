import '../infra/local/quiet-sdk.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadOrCreateDevSigningKey } from '../infra/local/dev-keys.js';
import { signDevToken } from '../infra/local/dev-tokens.js';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { ensureTable } from '../infra/local/table.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { systemClock } from '../shared/kernel/clock.js';
import { parseLocationId, parsePrincipalId } from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import { throttledSale } from './throttled-sale.js';

/**
 * `npx tsx bench/throttled-sale-run.ts [--quick]`: only the throttled flash sale scenarios of `npm run bench`
 * (bench/throttled-sale.ts), on a fresh DynamoDB Local; prints one JSON line per figure.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamo = await startDynamoDbLocal();
const tableName = 'inventory-bench-throttled';
const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, ...local });
await ensureTable(raw, tableName);
raw.destroy();
const client = createDocumentClient({ endpoint: dynamo.endpoint, ...local });
const deps = {
  ...createDynamoStores({ client, tableName }),
  clock: systemClock,
  ids: ulidSource(systemClock),
  holdPolicy: DEFAULT_HOLD_POLICY,
};
const admin = parsePrincipalId('bench-admin');
const warehouse = parseLocationId('BENCH-WH');
await createLocation(deps, {
  locationId: warehouse,
  name: 'Bench warehouse',
  region: 'local',
  ownerId: admin,
});
const keyFile = join(mkdtempSync(join(tmpdir(), 'inventory-bench-')), 'key.json');
const key = await loadOrCreateDevSigningKey(keyFile);
const tokens = await Promise.all(
  Array.from({ length: 200 }, (_, i) =>
    signDevToken(key, { sub: `bench-buyer-${i}`, roles: ['storefront'] }),
  ),
);
try {
  const figures = await throttledSale({
    root: ROOT,
    endpoint: dynamo.endpoint,
    tableName,
    keyFile,
    deps,
    warehouse,
    admin,
    tokens,
    quick: process.argv.includes('--quick'),
    log,
  });
  for (const f of figures) console.log(JSON.stringify(f));
} finally {
  client.destroy();
  await dynamo.stop();
}
