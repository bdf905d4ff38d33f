import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, importsOf, reachableFrom, sourceFiles } from '../support/import-graph.js';

/**
 * The dependency rules of CONTRIBUTING.md, read from the code's imports: a wrong-way import fails here with the
 * file and what it imports.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const files = sourceFiles(ROOT, ['shared', 'functions', 'infra', 'scripts', 'bench']);
const edges = new Map(files.map((file) => [file, importsOf(ROOT, file)]));
const allEdges = [...edges.values()].flat();

const isDomain = (file: string) => /^shared\/(kernel|(.+\/)?domain)\//.test(file);
const isStore = (file: string) => /^shared\/(.+\/)?store\//.test(file);
const isUseCase = (file: string) => /^shared\/(.+\/)?use-cases\//.test(file);
const isEvents = (file: string) => file.startsWith('shared/events/') && !isUseCase(file);
const isHttp = (file: string) => /^shared\/(.+\/)?http\//.test(file);
const isRuntime = (file: string) => /^shared\/(.+\/)?runtime\//.test(file);

function offending(from: (file: string) => boolean, to: (target: string) => boolean): string[] {
  return allEdges
    .filter((edge: ImportEdge) => from(edge.from) && to(edge.to))
    .map((e) => `${e.from} -> ${e.to}`);
}

describe('the import graph', () => {
  it('reads the imports of every source file', () => {
    // Prepare / Act: the graph is built above. Assess: it sees the files and the edges it is meant to judge.
    expect(files).toContain('shared/kernel/clock.ts');
    expect(files.filter((f) => f.startsWith('functions/')).length).toBeGreaterThan(30);
    expect(edges.get('functions/reserve-stock.ts')?.map((e) => e.to)).toContain(
      'shared/holds/use-cases/reservations.ts',
    );
  });

  it('keeps the domain free of storage, the AWS SDK, HTTP, use cases and infrastructure', () => {
    const wrong = offending(
      isDomain,
      (to) =>
        /^(@aws-sdk|@middy|@aws-lambda-powertools|aws-cdk-lib)/.test(to) ||
        isStore(to) ||
        isHttp(to) ||
        isUseCase(to) ||
        isRuntime(to) ||
        /^(functions|infra)\//.test(to),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps stores free of use cases, HTTP and the handlers runtime', () => {
    expect(offending(isStore, (to) => isUseCase(to) || isHttp(to) || isRuntime(to))).toEqual([]);
  });

  it('never imports functions or infrastructure from shared code', () => {
    expect(
      offending(
        (f) => f.startsWith('shared/'),
        (to) => /^(functions|infra)\//.test(to),
      ),
    ).toEqual([]);
  });

  it('keeps the event pipeline one way: events import no use case', () => {
    expect(offending(isEvents, isUseCase)).toEqual([]);
  });

  it('bundles into the browser console nothing of shared/ but the domain (which imports no AWS SDK)', () => {
    const consoleFiles = readdirSync(join(ROOT, 'console/src'), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.tsx?$/.test(name))
      .map((name) => `console/src/${name}`);
    const wrong = consoleFiles
      .flatMap((file) => importsOf(ROOT, file))
      .filter((edge) => !edge.typeOnly && edge.to.startsWith('shared/') && !isDomain(edge.to))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(consoleFiles).toContain('console/src/history.ts');
    expect(wrong).toEqual([]);
  });

  it('bundles neither the local runtime nor the event-pattern matcher into any Lambda function', () => {
    const wrong = files
      .filter((file) => file.startsWith('functions/'))
      .flatMap((entry) =>
        [...reachableFrom(entry, edges)]
          .filter((file) => file.startsWith('infra/') || file.endsWith('pattern-matcher.ts'))
          .map((file) => `${entry} bundles ${file}`),
      );
    expect(wrong).toEqual([]);
  });
});
