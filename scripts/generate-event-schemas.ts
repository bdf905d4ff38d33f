/**
 * Writes the JSON Schema of every domain event to docs/events/schemas/<DetailType>.json, generated from the zod
 * schemas of shared/events/catalogue.ts, and removes schemas of detail-types that no longer exist.
 * Run: npx tsx scripts/generate-event-schemas.ts
 * test/events/event-schemas.test.ts fails when the committed files differ from what this would write.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventJsonSchemas } from '../shared/events/catalogue.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../docs/events/schemas/', import.meta.url));

/** File name → file text, exactly as written. */
export function renderEventSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [type, schema] of Object.entries(eventJsonSchemas())) {
    files.set(`${type}.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}

export async function writeEventSchemas(dir = SCHEMA_DIR): Promise<string[]> {
  const files = renderEventSchemas();
  await mkdir(dir, { recursive: true });
  for (const existing of await readdir(dir)) {
    if (existing.endsWith('.json') && !files.has(existing)) await rm(join(dir, existing));
  }
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return [...files.keys()];
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const written = await writeEventSchemas();
  console.log(`wrote ${written.length} event schemas to ${SCHEMA_DIR}`);
}
