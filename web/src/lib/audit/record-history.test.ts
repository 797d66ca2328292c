import { describe, expect, it } from 'vitest';
import { fieldLabel, historyLines } from './record-history.js';

const entry = (action: string, before: unknown, after: unknown) => ({
  id: action,
  actorId: 'm-1',
  action,
  before: before === null ? null : JSON.stringify(before),
  after: after === null ? null : JSON.stringify(after),
  createdAt: '2026-11-24T10:00:00Z',
});

describe('a record’s history', () => {
  it('reads each change field by field, with people by name and empty values as a dash', () => {
    const [assigned] = historyLines(
      [entry('lead.assigned', { owner_id: null, unit_id: 'u-1' }, { owner_id: 'm-2', unit_id: 'u-2' })],
      (id) => (id === 'm-2' ? 'Priya Patel' : id),
    );
    expect(assigned).toMatchObject({ verb: 'assigned', actorId: 'm-1' });
    expect(assigned!.changes).toEqual([
      { field: 'Owner', from: '—', to: 'Priya Patel' },
      { field: 'Unit', from: 'u-1', to: 'u-2' },
    ]);
  });

  it('says a record was created without listing every field, and leaves bookkeeping columns out', () => {
    const [created, updated] = historyLines(
      [
        entry('lead.created', null, { id: 'l', first_name: 'Ines' }),
        entry('lead.updated', { city: 'Tempe', updated_at: 'x' }, { city: 'Mesa', updated_at: 'y' }),
      ],
      (id) => id,
    );
    expect(created).toMatchObject({ verb: 'created', changes: [] });
    expect(updated!.changes).toEqual([{ field: 'City', from: 'Tempe', to: 'Mesa' }]);
    expect(fieldLabel('postal_code')).toBe('Postal code');
  });
});
