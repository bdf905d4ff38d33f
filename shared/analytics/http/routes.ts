import { defineRoute } from '../../platform/http/route.js';
import { locationAnalyticsPath, regionAnalyticsPath, seriesQuery, seriesSchema } from './schemas.js';

const series = {
  status: 200,
  description: 'Every hour of the range, oldest first.',
  schema: seriesSchema,
} as const;

export const readLocationAnalytics = defineRoute({
  operationId: 'readLocationAnalytics',
  method: 'GET',
  path: '/analytics/locations/{locationId}',
  handler: 'functions/read-location-analytics.ts',
  summary:
    "A location's hourly aggregates: stock on hand, available, held; holds created, confirmed, released, expired",
  tag: 'Analytics',
  auth: 'jwt',
  roles: ['analyst', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: locationAnalyticsPath, query: seriesQuery },
  success: series,
  problems: ['not-found'],
});

export const readRegionAnalytics = defineRoute({
  operationId: 'readRegionAnalytics',
  method: 'GET',
  path: '/analytics/regions/{region}',
  handler: 'functions/read-region-analytics.ts',
  summary: "A region's hourly aggregates, over its locations",
  tag: 'Analytics',
  auth: 'jwt',
  roles: ['analyst', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: regionAnalyticsPath, query: seriesQuery },
  success: series,
  problems: ['not-found'],
});
