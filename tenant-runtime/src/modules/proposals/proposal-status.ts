import { Conflict, ValidationFailed } from '@solar/common/errors';

export const PROPOSAL_STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export type ProposalAction = 'send' | 'accept' | 'reject' | 'expire';

/** One version of a proposal for an opportunity. Versions are numbered from 1. */
export interface ProposalVersion {
  version: number;
  status: ProposalStatus;
  /** the offer's last valid moment; a sent proposal past it is expired */
  validUntil: Date;
  sentAt: Date | null;
  decidedAt: Date | null;
  /** set when a newer version replaced this one; a superseded version is frozen for good */
  supersededBy: number | null;
}

/** draft → sent → accepted | rejected | expired; nothing leaves a final status. */
const TRANSITIONS: Record<ProposalStatus, Partial<Record<ProposalAction, ProposalStatus>>> = {
  draft: { send: 'sent' },
  sent: { accept: 'accepted', reject: 'rejected', expire: 'expired' },
  accepted: {},
  rejected: {},
  expired: {},
};

export function allowedActions(v: ProposalVersion, now: Date): ProposalAction[] {
  if (v.supersededBy !== null) return [];
  const status = effectiveStatus(v, now);
  return Object.keys(TRANSITIONS[status]) as ProposalAction[];
}

/** The status as of `now`: a sent proposal past its validity date reads as expired even before a sweep stores it. */
export function effectiveStatus(v: ProposalVersion, now: Date): ProposalStatus {
  return v.status === 'sent' && now.getTime() > v.validUntil.getTime() ? 'expired' : v.status;
}

/** Only the current draft may change; anything sent, decided or superseded is what the customer saw. */
export function isFrozen(v: ProposalVersion): boolean {
  return v.status !== 'draft' || v.supersededBy !== null;
}

export function assertEditable(v: ProposalVersion): void {
  if (v.supersededBy !== null)
    throw new Conflict(
      `Version ${v.version} was superseded by version ${v.supersededBy} and can no longer change`,
    );
  if (v.status !== 'draft')
    throw new Conflict(`Version ${v.version} is ${v.status}; only a draft can be edited`);
}

/** Applies one action, returning the new version record; refusals are Conflict (or ValidationFailed for a bad date). */
export function transition(v: ProposalVersion, action: ProposalAction, now: Date): ProposalVersion {
  if (v.supersededBy !== null)
    throw new Conflict(
      `Version ${v.version} was superseded by version ${v.supersededBy}; act on the newer version`,
    );
  const current = effectiveStatus(v, now);
  if (current === 'expired' && v.status === 'sent' && action !== 'expire')
    throw new Conflict(
      `Version ${v.version} expired on ${v.validUntil.toISOString().slice(0, 10)}; send a new version`,
    );
  const next = TRANSITIONS[v.status][action];
  if (!next) throw new Conflict(`Cannot ${action} a proposal that is ${current}`);
  switch (action) {
    case 'send':
      if (v.validUntil.getTime() <= now.getTime())
        throw new ValidationFailed({
          validUntil: ['The validity date must be in the future when the proposal is sent'],
        });
      return { ...v, status: next, sentAt: now };
    case 'expire':
      if (current !== 'expired')
        throw new Conflict(`Version ${v.version} is valid until ${v.validUntil.toISOString().slice(0, 10)}`);
      return { ...v, status: next, decidedAt: v.validUntil };
    default:
      return { ...v, status: next, decidedAt: now };
  }
}

/**
 * Starts the next version as a draft. The latest version is superseded (and so frozen); a sent one can then no
 * longer be accepted, so a customer never signs an offer the rep has replaced. Refused once a version is accepted:
 * after that, changes are a contract matter.
 */
export function startNextVersion(
  versions: readonly ProposalVersion[],
  validUntil: Date,
): { versions: ProposalVersion[]; created: ProposalVersion } {
  const accepted = versions.find((v) => v.status === 'accepted');
  if (accepted) throw new Conflict(`Version ${accepted.version} was accepted; a new version is not possible`);
  const latest = versions.reduce((max, v) => Math.max(max, v.version), 0);
  const created: ProposalVersion = {
    version: latest + 1,
    status: 'draft',
    validUntil,
    sentAt: null,
    decidedAt: null,
    supersededBy: null,
  };
  return {
    versions: [
      ...versions.map((v) => (v.supersededBy === null ? { ...v, supersededBy: created.version } : v)),
      created,
    ],
    created,
  };
}

/** For the periodic sweep: sent versions whose validity has passed, stored as expired. */
export function expireDue(versions: readonly ProposalVersion[], now: Date): ProposalVersion[] {
  return versions.map((v) =>
    v.supersededBy === null && v.status === 'sent' && effectiveStatus(v, now) === 'expired'
      ? transition(v, 'expire', now)
      : v,
  );
}
