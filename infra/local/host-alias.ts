import dns from 'node:dns';

/**
 * The AWS SDK sends StartSyncExecution to the `sync-` host of the Step Functions endpoint (in AWS,
 * `sync-states.<region>.amazonaws.com`). With `AWS_ENDPOINT_URL_SFN=http://127.0.0.1:PORT` that host is
 * `sync-127.0.0.1`, which no resolver knows, so the local runtime resolves it itself, as AWS's DNS resolves the
 * real one: `dns.lookup` (which Node's sockets use) maps each alias to its target and leaves every other name
 * to the real lookup. Handler code and its SDK client stay exactly as deployed.
 */

/** Host aliases in force in this process, counted (several stand-ins may share one). */
const aliases = new Map<string, { target: string; count: number }>();
let originalLookup: typeof dns.lookup | null = null;

/** Resolves `alias` as `target` in this process, until the returned function is called. */
export function aliasHost(alias: string, target: string): () => void {
  const entry = aliases.get(alias) ?? { target, count: 0 };
  entry.count++;
  aliases.set(alias, entry);
  if (!originalLookup) {
    const original = dns.lookup;
    originalLookup = original;
    const lookup = (hostname: string, ...rest: unknown[]): unknown =>
      Reflect.apply(original, dns, [aliases.get(hostname)?.target ?? hostname, ...rest]);
    Reflect.set(dns, 'lookup', lookup);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    entry.count--;
    if (entry.count === 0) aliases.delete(alias);
    if (aliases.size === 0 && originalLookup) {
      Reflect.set(dns, 'lookup', originalLookup);
      originalLookup = null;
    }
  };
}
