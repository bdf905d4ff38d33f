import type { DevTokenClaims } from './dev-tokens.js';
import { DEMO_LOCATIONS } from './seed-demo.js';

/** The callers `npm start` prints tokens for: one per role, and two buyers to show that holds are private. */
export const DEMO_CALLERS: ReadonlyArray<{ readonly variable: string; readonly claims: DevTokenClaims }> = [
  { variable: 'ADMIN_TOKEN', claims: { sub: 'admin-1', roles: ['admin'] } },
  {
    variable: 'WAREHOUSE_TOKEN',
    claims: {
      sub: 'clerk-berlin',
      roles: ['warehouse'],
      locations: DEMO_LOCATIONS.slice(0, 2).map((l) => l.locationId),
    },
  },
  { variable: 'ALICE_TOKEN', claims: { sub: 'shop-alice', roles: ['storefront'] } },
  { variable: 'BOB_TOKEN', claims: { sub: 'shop-bob', roles: ['storefront'] } },
  { variable: 'ANALYST_TOKEN', claims: { sub: 'analyst-1', roles: ['analyst'] } },
];
