import { Conflict, NotFound, ValidationFailed, type Knex, type Logger } from '@solar/common';
import { challengeName, challengeValue } from './domain-challenge.js';
import type { TxtAnswer, TxtLookup } from './txt-lookup.js';

interface ClaimRow {
  domain: string;
  tenant_id: string;
  verification_token: string;
  verified_at: Date | null;
}

/** What a check found, in words an owner can act on. */
function describe(
  domain: string,
  token: string,
  answer: TxtAnswer,
): { proven: boolean; reason: string | null } {
  const name = challengeName(domain);
  if (answer.kind === 'failed')
    return { proven: false, reason: `DNS lookup of ${name} failed (${answer.reason})` };
  if (answer.kind === 'absent') return { proven: false, reason: `no TXT record at ${name}` };
  if (answer.values.includes(challengeValue(token))) return { proven: true, reason: null };
  return { proven: false, reason: `the TXT record at ${name} is not ${challengeValue(token)}` };
}

/**
 * Checks the caller's claim on `domain` now: when the TXT record carries the claim's token, the domain
 * becomes the tenant's (tenant_domains, verified: it routes) — unless another tenant verified it first
 * (409). Otherwise 400 with what was found on `domain`; the claim stays pending.
 */
export async function verifyDomainClaim(
  db: Knex,
  lookup: TxtLookup,
  tenantId: string,
  domainInput: string,
): Promise<void> {
  const domain = domainInput.trim().toLowerCase();
  const claim = (await db('tenant_domain_claims')
    .first('domain', 'tenant_id', 'verification_token', 'verified_at')
    .where({ domain, tenant_id: tenantId })) as ClaimRow | undefined;
  if (!claim) throw new NotFound(`${domain} is not one of this workspace's domains`);
  const check = describe(domain, claim.verification_token, await lookup(challengeName(domain)));
  if (!check.proven) {
    await recordCheck(db, claim, check.reason);
    throw new ValidationFailed({ domain: [check.reason ?? 'not verified'] }, `${domain} is not verified yet`);
  }
  await markVerified(db, claim);
}

/** The domain routes to this claim's tenant from now on; 409 when another tenant holds it. */
async function markVerified(db: Knex, claim: ClaimRow): Promise<void> {
  const { domain, tenant_id: tenantId } = claim;
  try {
    await db.transaction(async (trx) => {
      const holder = (await trx('tenant_domains').forUpdate().first('tenant_id').where({ domain })) as
        { tenant_id: string } | undefined;
      if (holder && holder.tenant_id !== tenantId)
        throw new Conflict(`${domain} is already verified by another workspace`);
      if (holder) await trx('tenant_domains').where({ domain }).update({ verified: true });
      else await trx('tenant_domains').insert({ domain, tenant_id: tenantId, verified: true });
      const now = new Date();
      await trx('tenant_domain_claims')
        .where({ domain, tenant_id: tenantId })
        .update({ verified_at: claim.verified_at ?? now, last_checked_at: now, last_check_error: null });
    });
  } catch (err) {
    // two tenants proving the same domain at the same moment: the second insert loses
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
      throw new Conflict(`${domain} is already verified by another workspace`);
    throw err;
  }
}

async function recordCheck(db: Knex, claim: ClaimRow, error: string | null): Promise<void> {
  await db('tenant_domain_claims')
    .where({ domain: claim.domain, tenant_id: claim.tenant_id })
    .update({ last_checked_at: new Date(), last_check_error: error?.slice(0, 300) ?? null });
}

/**
 * The periodic re-check of every claim: a pending claim whose record appeared is verified; a verified
 * domain whose record is gone (or changed) stops routing until it is proven again. A failed lookup
 * (timeout, SERVFAIL) proves nothing either way and changes nothing but the claim's last error.
 */
export async function recheckDomains(
  db: Knex,
  lookup: TxtLookup,
  log: Logger,
): Promise<{ verified: number; unverified: number }> {
  const claims = (await db('tenant_domain_claims').select(
    'domain',
    'tenant_id',
    'verification_token',
    'verified_at',
  )) as ClaimRow[];
  const counts = { verified: 0, unverified: 0 };
  for (const claim of claims) {
    const answer = await lookup(challengeName(claim.domain));
    const check = describe(claim.domain, claim.verification_token, answer);
    try {
      if (check.proven && !claim.verified_at) {
        await markVerified(db, claim);
        counts.verified++;
      } else if (!check.proven && claim.verified_at && answer.kind !== 'failed') {
        await db.transaction(async (trx) => {
          await trx('tenant_domains').where({ domain: claim.domain, tenant_id: claim.tenant_id }).delete();
          await trx('tenant_domain_claims')
            .where({ domain: claim.domain, tenant_id: claim.tenant_id })
            .update({ verified_at: null, last_checked_at: new Date(), last_check_error: check.reason });
        });
        counts.unverified++;
        log.warn({ domain: claim.domain, tenantId: claim.tenant_id }, 'custom domain lost its DNS proof');
      } else {
        await recordCheck(db, claim, check.reason);
      }
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      await recordCheck(db, claim, err.message);
    }
  }
  return counts;
}

/**
 * Runs recheckDomains every `intervalMs` (0: never) until `stop()` or until the process stops accepting
 * requests; a failed round is logged and the next one tries again.
 */
export function startDomainRecheck(options: {
  db: Knex;
  lookup: TxtLookup;
  intervalMs: number;
  log: Logger;
  running: () => boolean;
}): { stop(): void } {
  if (options.intervalMs <= 0) return { stop() {} };
  let busy = false;
  const timer = setInterval(() => {
    if (!options.running()) {
      clearInterval(timer);
      return;
    }
    if (busy) return;
    busy = true;
    recheckDomains(options.db, options.lookup, options.log)
      .then((counts) => options.log.info(counts, 'custom domains re-checked'))
      .catch((err: unknown) => options.log.warn({ err }, 'custom domain re-check failed'))
      .finally(() => (busy = false));
  }, options.intervalMs);
  timer.unref(); // never keeps the process alive by itself
  return { stop: () => clearInterval(timer) };
}
