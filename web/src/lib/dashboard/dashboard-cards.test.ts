import { describe, expect, it } from 'vitest';
import { recordHref } from '../sales/record-links.js';
import { dueTasks, excerpt, feedEntries, openStageBars, winRateLabel } from './dashboard-cards.js';
import type { DueTask, FeedActivity, PipelineSummary } from './dashboard-schemas.js';

const activity = (over: Partial<FeedActivity>): FeedActivity => ({
  id: 'a1',
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
  createdBy: 'm1',
  createdAt: '2026-11-24T10:00:00.000Z',
  subjectType: 'LEAD',
  subjectId: 'l1',
  subjectName: 'Ana Garcia',
  parentId: null,
  author: { id: 'm1', displayName: 'Priya Patel' },
  ...over,
});

describe('recent activity lines', () => {
  it('say what happened, by whom, on which record, with a link to it', () => {
    const [call, email] = feedEntries([
      activity({
        id: 'a2',
        kind: 'CALL',
        callOutcome: 'CONNECTED',
        durationSeconds: 300,
        body: 'Wants a battery',
        subjectType: 'OPPORTUNITY',
        subjectId: 'o1',
        subjectName: 'Garcia 8 kW',
        createdAt: '2026-11-24T11:00:00.000Z',
      }),
      activity({
        id: 'a1',
        kind: 'EMAIL',
        emailDirection: 'INBOUND',
        title: 'Question',
        subjectType: 'ACCOUNT',
        subjectId: 'c1',
        subjectName: 'Garcia household',
        author: null,
      }),
    ]);
    expect(call).toMatchObject({
      kind: 'CALL',
      title: 'Call — connected · 5 min',
      detail: 'Wants a battery',
      author: 'Priya Patel',
      record: { name: 'Garcia 8 kW', type: 'Opportunity', href: '/opportunities/o1' },
    });
    expect(email).toMatchObject({
      title: 'Email received: Question',
      author: null,
      record: { type: 'Customer', href: '/customers/c1' },
    });
  });

  it('keep the newest first and shorten long notes to an excerpt', () => {
    const long = `${'Roof faces south and the panel looks new. '.repeat(6)}End`;
    const entries = feedEntries([
      activity({ id: 'new', body: long, createdAt: '2026-11-24T12:00:00.000Z' }),
      activity({ id: 'old', createdAt: '2026-11-23T12:00:00.000Z', subjectName: '' }),
    ]);
    expect(entries.map((e) => e.id)).toEqual(['new', 'old']);
    const detail = entries[0]!.detail!;
    expect(detail.length).toBeLessThanOrEqual(121);
    expect(detail.endsWith('…')).toBe(true);
    // cut between words, never inside one
    const kept = detail.slice(0, -1);
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toBe(' ');
    // a record without a name still reads as something
    expect(entries[1]!.record.name).toBe('Lead');
  });
});

describe('excerpt', () => {
  it('collapses whitespace, cuts at a word and marks the cut', () => {
    expect(excerpt('  Call\n\nback   tomorrow ')).toBe('Call back tomorrow');
    expect(excerpt('one two three four', 12)).toBe('one two…');
    expect(excerpt('abcdefghijklmnop', 10)).toBe('abcdefghij…');
    expect(excerpt('   ')).toBeNull();
    expect(excerpt(null)).toBeNull();
  });
});

describe('my tasks card', () => {
  const task = (id: string, subjectType: DueTask['subjectType']): DueTask => ({
    id,
    title: `Task ${id}`,
    dueAt: '2026-11-24T09:00:00.000Z',
    subjectType,
    subjectId: `r-${id}`,
    subjectName: `Record ${id}`,
    parentId: null,
  });

  it('lists overdue tasks before today’s, each linking to its record', () => {
    const { items, partial } = dueTasks({ overdue: [task('1', 'ACCOUNT')], today: [task('2', 'LEAD')] }, 20);
    expect(items.map((t) => [t.id, t.overdue, t.href])).toEqual([
      ['1', true, '/customers/r-1'],
      ['2', false, '/leads/r-2'],
    ]);
    expect(partial).toBe(false);
    expect(dueTasks({ overdue: [], today: [] }, 20)).toEqual({ items: [], partial: false });
  });

  it('says there may be more when a group came back full', () => {
    const full = dueTasks({ overdue: [task('1', 'LEAD'), task('2', 'LEAD')], today: [] }, 2);
    expect(full.partial).toBe(true);
  });

  it('links every kind of record', () => {
    expect(recordHref('LEAD', 'x')).toBe('/leads/x');
    expect(recordHref('ACCOUNT', 'x')).toBe('/customers/x');
    expect(recordHref('OPPORTUNITY', 'x')).toBe('/opportunities/x');
    // a contact or site lives on its customer's page; a proposal has its own
    expect(recordHref('CONTACT', 'x', 'acct')).toBe('/customers/acct');
    expect(recordHref('SITE', 'x', 'acct')).toBe('/customers/acct');
    expect(recordHref('PROPOSAL', 'x', 'opp')).toBe('/proposals/x');
  });
});

describe('pipeline card', () => {
  const summary: PipelineSummary = {
    stages: [
      {
        stage: { id: 'q', name: 'Qualification', kind: 'OPEN' },
        count: 2,
        value: 30000.4,
        weightedValue: 3000,
      },
      { stage: { id: 'p', name: 'Proposal', kind: 'OPEN' }, count: 0, value: 0, weightedValue: 0 },
      { stage: { id: 'won', name: 'Won', kind: 'WON' }, count: 3, value: 90000, weightedValue: 90000 },
      { stage: { id: 'lost', name: 'Lost', kind: 'LOST' }, count: 1, value: 20000, weightedValue: 0 },
    ],
    openCount: 2,
    openValue: 30000.4,
    weightedValue: 3000,
    winRate: 0.75,
  };

  it('charts the open stages in pipeline order, empty ones included', () => {
    expect(openStageBars(summary)).toEqual([
      { label: 'Qualification', value: 30000 },
      { label: 'Proposal', value: 0 },
    ]);
  });

  it('shows the win rate as a percentage, or a dash before anything closed', () => {
    expect(winRateLabel(0.75)).toBe('75%');
    expect(winRateLabel(2 / 3)).toBe('67%');
    expect(winRateLabel(0)).toBe('0%');
    expect(winRateLabel(null)).toBe('—');
  });
});
