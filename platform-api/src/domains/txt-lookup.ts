import { Resolver } from 'node:dns/promises';

/** What DNS said about a TXT name: its records, that there are none, or that it could not tell. */
export type TxtAnswer =
  { kind: 'records'; values: string[] } | { kind: 'absent' } | { kind: 'failed'; reason: string };

export type TxtLookup = (name: string) => Promise<TxtAnswer>;

/** Answers that prove the name has no TXT record; anything else (timeouts, SERVFAIL…) proves nothing. */
const ABSENT_CODES = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * TXT lookups through node:dns with our own servers (DNS_SERVERS; none: the system's), so verification
 * does not depend on the host's resolver cache. Each record's strings are joined, as DNS splits long ones.
 */
export function createTxtLookup(options: { servers: readonly string[]; timeoutMs: number }): TxtLookup {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
  if (options.servers.length) resolver.setServers([...options.servers]);
  return async (name) => {
    try {
      const records = await resolver.resolveTxt(name);
      return { kind: 'records', values: records.map((chunks) => chunks.join('')) };
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'EUNKNOWN';
      return ABSENT_CODES.has(code) ? { kind: 'absent' } : { kind: 'failed', reason: code };
    }
  };
}
