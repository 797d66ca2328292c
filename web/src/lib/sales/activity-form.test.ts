import { describe, expect, it } from 'vitest';
import { activityInput, instant, newActivityForm } from './activity-form.js';

const lead = { subjectType: 'LEAD' as const, subjectId: 'l-1' };

describe('logging an activity', () => {
  it('sends only the fields of its kind', () => {
    const note = { ...newActivityForm('NOTE'), body: ' Wants a battery too ', title: 'ignored' };
    expect(activityInput(note, lead)).toEqual({ kind: 'NOTE', ...lead, body: 'Wants a battery too' });

    const call = { ...newActivityForm('CALL'), callOutcome: 'LEFT_VOICEMAIL', minutes: '2.5' };
    expect(activityInput(call, lead)).toEqual({
      kind: 'CALL',
      ...lead,
      callOutcome: 'LEFT_VOICEMAIL',
      durationSeconds: 150,
      body: null,
    });
    expect(activityInput({ ...call, minutes: '' }, lead)).toMatchObject({ durationSeconds: null });
  });

  it('sends typed local times as instants, and a task with no assignee to the caller', () => {
    const task = {
      ...newActivityForm('TASK'),
      title: 'Send the permit packet',
      dueAt: '2026-12-01T09:30',
      reminderAt: '2026-12-01T08:00',
    };
    expect(activityInput(task, lead)).toEqual({
      kind: 'TASK',
      ...lead,
      title: 'Send the permit packet',
      dueAt: new Date('2026-12-01T09:30').toISOString(),
      reminderAt: new Date('2026-12-01T08:00').toISOString(),
      assigneeId: null,
      body: null,
    });
    expect(instant('')).toBeNull();
    expect(instant('not a time')).toBeNull();
  });
});
