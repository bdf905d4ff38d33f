import { describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';

describe('the analyst role', () => {
  it('is admitted by no route that may write', () => {
    // Prepare
    const writers = ROUTE_TABLE.filter(
      (route) => route.method !== 'GET' || route.tableAccess === 'read-write',
    );

    // Act
    const admitting = writers.filter((route) => (route.roles as readonly string[]).includes('analyst'));

    // Assess
    expect(writers.length).toBeGreaterThan(0);
    expect(admitting.map((r) => r.operationId)).toEqual([]);
  });

  it('reads the change feed and the analytics', () => {
    // Act
    const readable = ROUTE_TABLE.filter((route) => (route.roles as readonly string[]).includes('analyst'));

    // Assess
    expect(readable.map((r) => r.operationId).sort()).toEqual([
      'listChanges',
      'readLocationAnalytics',
      'readRegionAnalytics',
    ]);
  });
});
