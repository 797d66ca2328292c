import type { SessionPrincipal } from './session-store.js';

const MAX_ENTRIES = 10_000;

export interface SessionCache {
  get(key: string): SessionPrincipal | undefined;
  /** remembered until ttlMs from now, or `notAfterMs` (epoch ms, e.g. the token's expiry) if sooner */
  set(key: string, principal: SessionPrincipal, notAfterMs?: number): void;
}

/**
 * A few seconds' memory of verified access tokens and the sessions they name, so a busy API client's
 * stream of /graphql requests neither re-verifies its JWT nor looks its session up in MySQL every time.
 * The price: a session revoked meanwhile keeps working on /graphql for at most `ttlMs`. 0 disables it.
 */
export function createSessionCache(ttlMs: number, now: () => number = Date.now): SessionCache | null {
  if (ttlMs <= 0) return null;
  const entries = new Map<string, { principal: SessionPrincipal; until: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until > now() && entry.principal.expiresAt.getTime() > now()) return entry.principal;
      entries.delete(key);
      return undefined;
    },
    set(key, principal, notAfterMs = Infinity) {
      // bounded: a flood of distinct sessions starts over rather than growing without limit
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, { principal, until: Math.min(now() + ttlMs, notAfterMs) });
    },
  };
}
