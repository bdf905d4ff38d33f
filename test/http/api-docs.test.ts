import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, PROBLEM_TYPES } from '../../shared/platform/http/problem-types.js';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';

const page = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The cells of every table row of the page, trimmed (the formatter pads them). */
const rows = page
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) =>
    line
      .replace(/\\\|/g, '¦')
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

describe('docs/api.md', () => {
  // The authorization matrix (test/api/authorization.test.ts) derives what each caller gets from the route's
  // roles and scope: this hand-written page is what pins them, so that a route that loses its scope fails here.
  it('lists every route of the route table with its roles and its scope', () => {
    for (const route of ROUTE_TABLE) {
      const roles = route.auth === 'none' ? 'public' : route.roles.join(', ');
      const scope = route.scope === 'none' ? '' : route.scope;
      const row = rows.find(
        (cells) => cells[0] === `\`${route.method}\`` && cells[1] === `\`${route.path}\``,
      );
      expect(row, `${route.method} ${route.path}`).toBeDefined();
      expect(row?.[2], `${route.method} ${route.path}`).toBe(roles);
      expect(row?.[3], `${route.method} ${route.path}`).toBe(scope);
    }
  });

  // The API tests' expectProblem takes each problem's status from PROBLEM_TYPES, the code that answers it: this
  // hand-written table is what pins the statuses, so that a problem moved to another status fails here.
  it('documents every problem type with its status', () => {
    for (const code of PROBLEM_CODES) {
      const row = rows.find((cells) => cells[0] === `\`${code}\``);
      expect(row, code).toBeDefined();
      expect(row?.[1], code).toBe(String(PROBLEM_TYPES[code].status));
    }
  });
});
