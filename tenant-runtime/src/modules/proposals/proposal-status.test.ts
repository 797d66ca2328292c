import { Conflict, ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  assertEditable,
  effectiveStatus,
  expireDue,
  isFrozen,
  startNextVersion,
  transition,
  type ProposalVersion,
} from './proposal-status.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const draft = (over: Partial<ProposalVersion> = {}): ProposalVersion => ({
  version: 1,
  status: 'draft',
  validUntil: day('2026-12-31'),
  sentAt: null,
  decidedAt: null,
  supersededBy: null,
  ...over,
});

describe('proposal status machine', () => {
  it('walks draft → sent → accepted, stamping when', () => {
    const sent = transition(draft(), 'send', day('2026-11-01'));
    expect(sent).toMatchObject({ status: 'sent', sentAt: day('2026-11-01') });
    const accepted = transition(sent, 'accept', day('2026-11-10'));
    expect(accepted).toMatchObject({ status: 'accepted', decidedAt: day('2026-11-10') });
    expect(allowedActions(accepted, day('2026-11-11'))).toEqual([]);
  });

  it.each([
    ['draft', 'accept'],
    ['draft', 'reject'],
    ['accepted', 'reject'],
    ['rejected', 'accept'],
    ['accepted', 'send'],
  ] as const)('refuses %s → %s', (status, action) => {
    expect(() => transition(draft({ status }), action, day('2026-11-01'))).toThrow(Conflict);
  });

  it('a sent proposal past its validity date reads as expired and can no longer be accepted', () => {
    const sent = transition(draft({ validUntil: day('2026-11-15') }), 'send', day('2026-11-01'));
    expect(effectiveStatus(sent, day('2026-11-15'))).toBe('sent');
    expect(effectiveStatus(sent, day('2026-11-16'))).toBe('expired');
    expect(allowedActions(sent, day('2026-11-16'))).toEqual([]);
    expect(() => transition(sent, 'accept', day('2026-11-16'))).toThrow('expired on 2026-11-15');
    expect(transition(sent, 'reject', day('2026-11-14')).status).toBe('rejected');
  });

  it('the sweep stores expiry only for sent proposals that are due', () => {
    const now = day('2026-11-20');
    const [due, notDue, drafted] = expireDue(
      [
        draft({ status: 'sent', validUntil: day('2026-11-15') }),
        draft({ version: 2, status: 'sent', validUntil: day('2026-12-15') }),
        draft({ version: 3, validUntil: day('2026-11-01') }),
      ],
      now,
    );
    expect(due).toMatchObject({ status: 'expired', decidedAt: day('2026-11-15') });
    expect(notDue?.status).toBe('sent');
    expect(drafted?.status).toBe('draft');
    expect(() => transition(notDue!, 'expire', now)).toThrow(Conflict);
  });

  it('cannot send with a validity date already past', () => {
    expect(() => transition(draft({ validUntil: day('2026-10-01') }), 'send', day('2026-11-01'))).toThrow(
      ValidationFailed,
    );
  });
});

describe('proposal versions', () => {
  it('a new version supersedes and freezes the old one, which can then not be accepted', () => {
    const v1 = transition(draft(), 'send', day('2026-11-01'));
    const { versions, created } = startNextVersion([v1], day('2027-01-15'));
    expect(created).toMatchObject({ version: 2, status: 'draft', supersededBy: null });
    const old = versions[0]!;
    expect(old).toMatchObject({ version: 1, status: 'sent', supersededBy: 2 });
    expect(isFrozen(old)).toBe(true);
    expect(() => transition(old, 'accept', day('2026-11-02'))).toThrow('superseded by version 2');
    expect(() => assertEditable(old)).toThrow(Conflict);
    expect(() => assertEditable(created)).not.toThrow();
  });

  it('numbers versions after the highest, leaving already superseded ones alone', () => {
    let versions: ProposalVersion[] = [draft()];
    versions = startNextVersion(versions, day('2027-01-01')).versions;
    versions = startNextVersion(versions, day('2027-01-01')).versions;
    expect(versions.map((v) => [v.version, v.supersededBy])).toEqual([
      [1, 2],
      [2, 3],
      [3, null],
    ]);
  });

  it('refuses a new version once one was accepted', () => {
    expect(() => startNextVersion([draft({ status: 'accepted' })], day('2027-01-01'))).toThrow(Conflict);
  });

  it('a sent proposal is frozen even before it is superseded', () => {
    expect(isFrozen(draft({ status: 'sent' }))).toBe(true);
    expect(() => assertEditable(draft({ status: 'sent' }))).toThrow('only a draft can be edited');
  });
});
