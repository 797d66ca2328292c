import type { Knex } from '@solar/common';
import { findLiveClient } from '../oauth/oauth-client-store.js';
import { findSessionById } from '../sessions/session-store.js';

/** Who a long-lived forwarded request (an event stream) speaks for. */
export type StreamCaller =
  | { kind: 'session'; tenantId: string; sessionId: string; identityId: string }
  /** an API key, or an OAuth client acting like one (keyId is the client's id) */
  | { kind: 'api_key'; tenantId: string; keyId: string };

export interface CallerLiveness {
  /** false once the session is revoked or expired, or the API key revoked or expired */
  stillAllowed(caller: StreamCaller): Promise<boolean>;
}

const MAX_ENTRIES = 10_000;

/**
 * Re-checks, for an open event stream, that its caller may still be served. Answers are remembered for
 * `cacheMs`, so many streams of one session cost one query per interval rather than one each.
 */
export function createCallerLiveness(
  db: Knex,
  cacheMs: number,
  now: () => number = Date.now,
): CallerLiveness {
  const answers = new Map<string, { allowed: Promise<boolean>; until: number }>();
  return {
    stillAllowed(caller) {
      const key = caller.kind === 'session' ? `s:${caller.sessionId}` : `k:${caller.keyId}`;
      const at = now();
      const hit = answers.get(key);
      if (hit && hit.until > at) return hit.allowed;
      if (answers.size >= MAX_ENTRIES) answers.clear();
      const allowed = check(db, caller);
      answers.set(key, { allowed, until: at + cacheMs });
      allowed.catch(() => answers.delete(key));
      return allowed;
    },
  };
}

async function check(db: Knex, caller: StreamCaller): Promise<boolean> {
  if (caller.kind === 'session') {
    const session = await findSessionById(db, caller.tenantId, caller.sessionId, caller.identityId);
    return session !== null && session.stage === 'full';
  }
  // An OAuth client token arrives as an API key named `oc:<client id>:<scope subset>` (sessions/authenticate.ts).
  const oauthClientId = /^oc:([^:]+):/.exec(caller.keyId)?.[1];
  if (oauthClientId) return (await findLiveClient(db, caller.tenantId, oauthClientId)) !== null;
  // an API key: the conditions findApiKey applies when the key is presented (live, unexpired, creator active)
  const row = await db({ k: 'api_keys' })
    .join({ i: 'identities' }, 'i.id', 'k.created_by')
    .first('k.id')
    .where({ 'k.id': caller.keyId, 'k.tenant_id': caller.tenantId, 'i.status': 'active' })
    .whereNull('k.revoked_at')
    .andWhere((q) => q.whereNull('k.expires_at').orWhere('k.expires_at', '>', new Date()));
  return row !== undefined;
}
