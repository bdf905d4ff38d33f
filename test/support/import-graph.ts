import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import: the importing file and what it names, both relative to the repository root (or a package name). */
export interface ImportEdge {
  readonly from: string;
  /** A repository file (`shared/kernel/clock.ts`) or a package (`@aws-sdk/client-dynamodb`, `node:fs`). */
  readonly to: string;
  /** `import type` / `export type`: erased at build time, so it never reaches a bundle. */
  readonly typeOnly: boolean;
}

/** Every `.ts` file under the given folders of the repository, relative to its root. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(relative(root, path));
    }
  };
  for (const folder of folders) if (existsSync(join(root, folder))) walk(join(root, folder));
  return files.sort();
}

/** The imports and re-exports of one file, read by the TypeScript parser (nothing is executed). */
export function importsOf(root: string, file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteral(specifier)) return;
    edges.push({ from: file, to: resolveSpecifier(root, file, specifier.text), typeOnly });
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(statement.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(statement)) {
      add(statement.moduleSpecifier, statement.isTypeOnly);
    }
  }
  source.forEachChild(function visit(node) {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1
    ) {
      add(node.arguments[0], false);
    }
    node.forEachChild(visit);
  });
  return edges;
}

function resolveSpecifier(root: string, file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const absolute = resolve(root, dirname(file), specifier);
  const candidates = [
    absolute.replace(/\.js$/, '.ts'),
    absolute,
    `${absolute}.ts`,
    join(absolute, 'index.ts'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return relative(root, found ?? absolute);
}

/** The files a module reaches through value imports (what a bundler would pull in), itself included. */
export function reachableFrom(entry: string, edges: ReadonlyMap<string, readonly ImportEdge[]>): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const edge of edges.get(file) ?? []) {
      if (edge.typeOnly || seen.has(edge.to)) continue;
      seen.add(edge.to);
      if (edge.to.endsWith('.ts')) queue.push(edge.to);
    }
  }
  return seen;
}
