import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEventSchemas, SCHEMA_DIR } from '../../scripts/generate-event-schemas.js';
import { DETAIL_TYPES } from '../../shared/events/catalogue.js';
import { documentedExamples } from './docs-examples.js';

const rendered = renderEventSchemas();

describe('committed JSON Schemas of the events', () => {
  it('holds one file per detail-type and no other', () => {
    // Act
    const committed = readdirSync(SCHEMA_DIR).sort();

    // Assess
    expect(committed).toEqual(DETAIL_TYPES.map((type) => `${type}.json`).sort());
  });

  it.each(
    DETAIL_TYPES,
  )('has %s.json exactly as the script writes it (run npm run generate:event-schemas)', (type) => {
    // Prepare
    const expected = rendered.get(`${type}.json`);

    // Act
    const committed = readFileSync(join(SCHEMA_DIR, `${type}.json`), 'utf8');

    // Assess
    expect(committed).toBe(expected);
  });

  it.each(DETAIL_TYPES)('describes the %s envelope and requires every field its example has', (type) => {
    // Prepare
    const schema = JSON.parse(rendered.get(`${type}.json`) ?? '{}');
    const example = documentedExamples().get(type) as { detail: Record<string, unknown> };

    // Act
    const detail = schema.properties.detail;

    // Assess
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.source.const).toBe('inventory');
    expect(schema.properties['detail-type'].const).toBe(type);
    expect(schema.required).toEqual(['source', 'detail-type', 'detail']);
    expect(Object.keys(detail.properties)).toEqual(Object.keys(example.detail));
    expect(detail.required).toEqual(expect.arrayContaining(['schemaVersion', 'eventId', 'occurredAt']));
    expect(detail.properties.schemaVersion.const).toBe(1);
  });
});
