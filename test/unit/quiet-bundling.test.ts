import { describe, expect, it } from 'vitest';
import { quietBundlingProgress } from '../../infra/quiet-bundling.js';

describe('quiet bundling progress', () => {
  it("swallows CDK's per-asset progress line and passes everything else through", () => {
    // Prepare
    const written: string[] = [];
    const stream = { write: (chunk: unknown) => written.push(String(chunk)) > 0 };
    const quiet = quietBundlingProgress(stream);
    const write = stream.write as (chunk: string) => boolean;
    // Act
    write('Bundling asset Inventory-dev-Routes-Stock/Api/readLevel/Function/Code/Stage...\n');
    write('Bundling asset Inventory-dev/Events/Enrichment/Function/Code/Stage...\n');
    write('▲ [WARNING] Duplicate key "x" in object literal\n');
    write('Bundling asset is a phrase in an error message\n');
    // Assess
    expect(quiet.bundled()).toBe(2);
    expect(written).toEqual([
      '▲ [WARNING] Duplicate key "x" in object literal\n',
      'Bundling asset is a phrase in an error message\n',
    ]);
  });
});
