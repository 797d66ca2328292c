import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../lead-schema.js';
import { mergeLeads, type MergeableLead } from './merge-leads.js';

const day = (d: number) => new Date(Date.UTC(2025, 4, d));
const lead = (id: string, over: Partial<MergeableLead>): MergeableLead => {
  const base: Lead = {
    id,
    firstName: 'Jane',
    lastName: 'Doe',
    fullName: 'Jane Doe',
    email: null,
    phone: null,
    company: null,
    street: null,
    city: null,
    region: null,
    postalCode: null,
    country: 'US',
    source: 'web_form',
    status: 'new',
    monthlyBill: null,
    notes: null,
    ownerId: null,
    unitId: null,
    createdAt: day(1),
    updatedAt: day(1),
  };
  return { ...base, ...over };
};

describe('mergeLeads — a duplicate lead merges', () => {
  const primary = lead('P', {
    email: 'jane.doe@gmail.com',
    source: 'web_form',
    status: 'contacted',
    notes: 'Wants a battery.',
    ownerId: 'rep-priya',
    unitId: 'unit-phx',
    createdAt: day(10),
    updatedAt: day(12),
  });
  const olderDuplicate = lead('D1', {
    email: 'JaneDoe+ads@gmail.com',
    phone: '602-555-0142',
    monthlyBill: 240,
    street: '12 W Elm St',
    city: 'Phoenix',
    region: 'AZ',
    postalCode: '85004',
    source: 'paid_ads',
    status: 'new',
    notes: 'Called about the ad.',
    ownerId: 'rep-sam',
    createdAt: day(3),
    updatedAt: day(4),
  });
  const recentDuplicate = lead('D2', {
    phone: '+1 480 555 0111',
    company: 'Doe Dental',
    city: 'Mesa',
    status: 'qualified',
    notes: 'Wants a battery.',
    createdAt: day(14),
    updatedAt: day(15),
    lastActivityAt: day(20),
  });

  const { merged, fieldSources, discarded } = mergeLeads(primary, [olderDuplicate, recentDuplicate]);

  it('keeps the primary identity, ownership and source', () => {
    expect(merged).toMatchObject({
      id: 'P',
      ownerId: 'rep-priya',
      unitId: 'unit-phx',
      source: 'web_form',
      fullName: 'Jane Doe',
    });
    expect(fieldSources).toMatchObject({ owner: 'P', source: 'P', firstName: 'P', lastName: 'P' });
    expect(merged).not.toHaveProperty('lastActivityAt');
  });

  it('fills empty fields from duplicates, the one with the newest activity first', () => {
    // both duplicates have a phone: D2 was active more recently, so its number wins and D1's is kept aside
    expect(merged.phone).toBe('+1 480 555 0111');
    expect(merged.company).toBe('Doe Dental');
    expect(merged.monthlyBill).toBe(240);
    expect(fieldSources).toMatchObject({ phone: 'D2', company: 'D2', monthlyBill: 'D1', email: 'P' });
    expect(discarded).toContainEqual({ leadId: 'D1', field: 'phone', value: '602-555-0142' });
    // the same inbox spelt differently is not a conflict
    expect(discarded.some((d) => d.field === 'email')).toBe(false);
  });

  it('moves the address as one block from the first lead that has a street', () => {
    expect(merged).toMatchObject({
      street: '12 W Elm St',
      city: 'Phoenix',
      region: 'AZ',
      postalCode: '85004',
    });
    expect(fieldSources.address).toBe('D1');
  });

  it('takes the status of the most recently active lead', () => {
    expect(merged.status).toBe('qualified');
    expect(fieldSources.status).toBe('D2');
  });

  it('concatenates distinct notes, saying where each came from', () => {
    expect(merged.notes).toBe('Wants a battery.\n\nMerged from Jane Doe (lead D1):\nCalled about the ad.');
  });

  it('keeps the earliest creation date and records what it discarded', () => {
    expect(merged.createdAt).toEqual(day(3));
    expect(fieldSources.createdAt).toBe('D1');
    expect(discarded).toEqual(
      expect.arrayContaining([
        { leadId: 'D1', field: 'source', value: 'paid_ads' },
        { leadId: 'D1', field: 'ownerId', value: 'rep-sam' },
      ]),
    );
  });

  it('keeps the primary status when it is the most recent', () => {
    const result = mergeLeads(lead('P', { status: 'converted', updatedAt: day(30) }), [
      lead('D', { status: 'unqualified' }),
    ]);
    expect(result.merged.status).toBe('converted');
  });

  it('cuts merged notes at the column length and keeps the rest in discarded', () => {
    const result = mergeLeads(lead('P', { notes: 'a'.repeat(9_000) }), [
      lead('D', { notes: 'b'.repeat(2_000) }),
    ]);
    expect(result.merged.notes).toHaveLength(10_000);
    expect(result.discarded).toEqual([{ leadId: 'P', field: 'notes', value: expect.stringMatching(/^b+$/) }]);
  });

  it('refuses to merge nothing, the primary into itself, or one lead twice', () => {
    expect(() => mergeLeads(primary, [])).toThrow(ValidationFailed);
    expect(() => mergeLeads(primary, [primary])).toThrow(ValidationFailed);
    expect(() => mergeLeads(primary, [olderDuplicate, olderDuplicate])).toThrow(
      expect.objectContaining({ fields: { duplicates: ['Lead D1 is listed twice or is the primary lead'] } }),
    );
  });
});
