import { signInternalToken, type InternalClaims } from '@solar/common';
import type { CryptoKey } from 'jose';

/** Long enough for one forwarded request, short enough that a leaked token is worthless soon. */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;
/** A token is reused until this much of its life is left, so none expires on its way to the runtime. */
const REUSE_MARGIN_MS = 20_000;
const MAX_ENTRIES = 10_000;

export interface InternalTokenCache {
  tokenFor(claims: InternalClaims): Promise<string>;
}

/**
 * Signing an Ed25519 JWT per forwarded request was the largest cost of the pass-through path; the same
 * caller (tenant, user, session, scopes) gets the same token for the first ~40 s of its 60 s life. The
 * token says nothing the caller's next request would not, and the runtime does not track jti.
 */
export function createInternalTokenCache(
  privateKey: CryptoKey,
  now: () => number = Date.now,
): InternalTokenCache {
  const tokens = new Map<string, { token: string; reuseUntil: number }>();
  return {
    async tokenFor(claims) {
      const key = JSON.stringify([claims.tid, claims.tslug, claims.sub, claims.sid, claims.scopes]);
      const at = now();
      const cached = tokens.get(key);
      if (cached && cached.reuseUntil > at) return cached.token;
      const token = await signInternalToken(claims, privateKey, INTERNAL_TOKEN_TTL_SECONDS);
      // bounded: a flood of distinct callers starts over rather than growing without limit
      if (tokens.size >= MAX_ENTRIES) tokens.clear();
      tokens.set(key, { token, reuseUntil: at + INTERNAL_TOKEN_TTL_SECONDS * 1000 - REUSE_MARGIN_MS });
      return token;
    },
  };
}
