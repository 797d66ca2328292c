import { describe, expect, it } from 'vitest';
import type { Activity } from './opportunity-schemas.js';
import { mergeTimeline } from './timeline.js';

const activity = (over: Partial<Activity>): Activity => ({
  id: 'a',
  kind: 'NOTE',
  title: null,
  body: null,
  callOutcome: null,
  durationSeconds: null,
  emailDirection: null,
  startsAt: null,
  endsAt: null,
  dueAt: null,
  done: false,
  createdBy: 'u1',
  createdAt: '2026-11-02T10:00:00Z',
  subjectType: 'OPPORTUNITY',
  subjectId: 'o1',
  subjectName: 'Garcia 8 kW',
  parentId: null,
  ...over,
});
const names: Record<string, string> = { qualification: 'Qualification', design: 'Design', lost: 'Lost' };
const stageName = (id: string) => names[id] ?? id;

describe('an opportunity timeline', () => {
  it('puts activities and stage moves in one list, newest first', () => {
    const entries = mergeTimeline(
      [
        activity({ id: 'call', kind: 'CALL', callOutcome: 'LEFT_VOICEMAIL', durationSeconds: 95 }),
        activity({ id: 'note', body: 'Wants a battery', createdAt: '2026-11-04T09:00:00Z' }),
      ],
      [
        {
          id: 's1',
          fromStage: null,
          toStage: { id: 'qualification' },
          reason: null,
          changedBy: 'u1',
          changedAt: '2026-11-01T08:00:00Z',
        },
        {
          id: 's2',
          fromStage: { id: 'qualification' },
          toStage: { id: 'lost' },
          reason: 'Went with a competitor',
          changedBy: 'u2',
          changedAt: '2026-11-05T08:00:00Z',
        },
      ],
      stageName,
    );
    expect(entries.map((e) => [e.id, e.title])).toEqual([
      ['s2', 'Moved from Qualification to Lost'],
      ['note', 'Note'],
      ['call', 'Call — left a voicemail · 2 min'],
      ['s1', 'Created in Qualification'],
    ]);
    expect(entries[0]!.detail).toBe('Went with a competitor');
    expect(entries[1]!.detail).toBe('Wants a battery');
  });

  it('says which way an email went and whether a task is done', () => {
    const [email, task] = mergeTimeline(
      [
        activity({
          id: 'e',
          kind: 'EMAIL',
          emailDirection: 'INBOUND',
          title: 'Re: quote',
          createdAt: '2026-11-03T00:00:00Z',
        }),
        activity({ id: 't', kind: 'TASK', done: true, title: 'Site survey' }),
      ],
      [],
      stageName,
    );
    expect(email!.title).toBe('Email received: Re: quote');
    expect(task!.title).toBe('Task done: Site survey');
  });
});

describe("a customer's or deal's timeline", () => {
  it("says which contact, site or proposal an activity was on; the record's own need no such note", () => {
    const [proposal, deal] = mergeTimeline(
      [
        activity({
          id: 'p',
          subjectType: 'PROPOSAL',
          subjectId: 'p1',
          subjectName: 'Garcia 8 kW · proposal v2',
          parentId: 'o1',
          createdAt: '2026-11-05T10:00:00Z',
        }),
        activity({ id: 'd' }),
      ],
      [],
      stageName,
    );
    expect(proposal!.about).toBe('Proposal: Garcia 8 kW · proposal v2');
    expect(deal!.about).toBeNull();
    const [contact] = mergeTimeline(
      [activity({ subjectType: 'CONTACT', subjectId: 'c1', subjectName: 'Chidi Okafor', parentId: 'a1' })],
      [],
      stageName,
    );
    expect(contact!.about).toBe('Contact: Chidi Okafor');
  });
});
