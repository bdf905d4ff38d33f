import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `<data folder>/runtime.json`: where a running `npm start` serves (its API, its DynamoDB Local endpoint, its
 * table), so that tools such as `npm run reconcile` find it with no variables. Written once the runtime is up,
 * removed on a clean stop; a runtime killed without a chance to remove it leaves a file whose `pid` is no longer
 * alive, which readers report as stale.
 */
export interface RuntimeInfo {
  readonly pid: number;
  readonly api: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly startedAt: string;
}

export type RuntimeLookup =
  | { readonly state: 'running'; readonly file: string; readonly info: RuntimeInfo }
  | { readonly state: 'stale'; readonly file: string; readonly info: RuntimeInfo }
  | { readonly state: 'absent'; readonly file: string }
  | { readonly state: 'unreadable'; readonly file: string; readonly reason: string };

export const runtimeFileOf = (dataDir: string): string => join(dataDir, 'runtime.json');

export function writeRuntimeFile(dataDir: string, info: RuntimeInfo): void {
  writeFileSync(runtimeFileOf(dataDir), `${JSON.stringify(info, null, 2)}\n`);
}

/** Removes the file if it still describes this process (a second runtime on the same folder may own it). */
export function removeRuntimeFile(dataDir: string, pid = process.pid): void {
  const found = findRuntime(dataDir);
  if ((found.state === 'running' || found.state === 'stale') && found.info.pid !== pid) return;
  rmSync(runtimeFileOf(dataDir), { force: true });
}

function isRuntimeInfo(value: unknown): value is RuntimeInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.pid === 'number' &&
    typeof v.api === 'string' &&
    typeof v.dynamoEndpoint === 'string' &&
    typeof v.tableName === 'string'
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function findRuntime(dataDir: string): RuntimeLookup {
  const file = runtimeFileOf(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', file };
    return { state: 'unreadable', file, reason: (error as Error).message };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { state: 'unreadable', file, reason: (error as Error).message };
  }
  if (!isRuntimeInfo(parsed)) return { state: 'unreadable', file, reason: 'not a runtime description' };
  return { state: alive(parsed.pid) ? 'running' : 'stale', file, info: parsed };
}
