import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS, CONTACT_FIELDS, SITE_FIELDS } from '../customers/customer-fields.js';
import { anyFilled, changesInput, createInput, formFrom } from './record-fields.js';

describe('record forms', () => {
  it('send a new record without its blanks, typed: numbers as numbers, country codes upper case', () => {
    const values = { ...formFrom(SITE_FIELDS), street: ' 4 Mesa Rd ', country: 'us', roofPitchDeg: '22.5' };
    expect(createInput(SITE_FIELDS, values)).toEqual({
      input: { street: '4 Mesa Rd', country: 'US', roofPitchDeg: 22.5 },
    });
  });

  it('say what is wrong beside each field, and send nothing', () => {
    const values = {
      ...formFrom(SITE_FIELDS),
      roofAzimuthDeg: '400',
      annualUsageKwh: '12.5',
      latitude: 'north',
    };
    expect(createInput(SITE_FIELDS, values)).toEqual({
      errors: {
        roofAzimuthDeg: 'Between 0 and 359.9',
        annualUsageKwh: 'Enter a whole number',
        latitude: 'Enter a number',
      },
    });
    expect(createInput(CONTACT_FIELDS, formFrom(CONTACT_FIELDS))).toEqual({
      errors: { firstName: 'Enter a first name', lastName: 'Enter a last name' },
    });
  });

  it('send only what an edit changed; a cleared field is sent as null', () => {
    const site = { street: '4 Mesa Rd', roofType: 'TILE', roofPitchDeg: 20, utility: 'SRP', shading: null };
    const before = formFrom(SITE_FIELDS, site);
    expect(before['roofPitchDeg']).toBe('20');
    expect(before['shading']).toBe('');
    const after = { ...before, roofPitchDeg: '25', utility: '', shading: 'LIGHT' };
    expect(changesInput(SITE_FIELDS, before, after)).toEqual({
      input: { roofPitchDeg: 25, utility: null, shading: 'LIGHT' },
    });
    expect(changesInput(SITE_FIELDS, before, before)).toEqual({ input: {} });
    // a number input hands back a number, or null once emptied
    expect(changesInput(SITE_FIELDS, before, { ...before, roofPitchDeg: 20 })).toEqual({ input: {} });
    expect(changesInput(SITE_FIELDS, before, { ...before, roofPitchDeg: null })).toEqual({
      input: { roofPitchDeg: null },
    });
    expect(createInput(SITE_FIELDS, { ...formFrom(SITE_FIELDS), roofPitchDeg: 95 })).toEqual({
      errors: { roofPitchDeg: 'Between 0 and 90' },
    });
  });

  it('treat the primary-contact box as a yes/no, and the customer kind as a choice with a default', () => {
    const contact = formFrom(CONTACT_FIELDS, { firstName: 'Ana', lastName: 'Ruiz', isPrimary: true });
    expect(contact['isPrimary']).toBe('true');
    expect(changesInput(CONTACT_FIELDS, contact, { ...contact, isPrimary: 'false' })).toEqual({
      input: { isPrimary: false },
    });
    expect(formFrom(ACCOUNT_FIELDS)['kind']).toBe('RESIDENTIAL');
  });

  it('know an optional group was left empty (choices and boxes do not count as typing)', () => {
    expect(anyFilled(SITE_FIELDS, formFrom(SITE_FIELDS))).toBe(false);
    expect(anyFilled(SITE_FIELDS, { ...formFrom(SITE_FIELDS), city: 'Tempe' })).toBe(true);
  });

  it('take a date as the browser gives it (YYYY-MM-DD), and refuse anything else', () => {
    const fields = [{ name: 'expectedCloseDate', label: 'Expected close', kind: 'date' as const }];
    expect(createInput(fields, { expectedCloseDate: '2027-01-15' })).toEqual({
      input: { expectedCloseDate: '2027-01-15' },
    });
    expect(createInput(fields, { expectedCloseDate: 'soon' })).toEqual({
      errors: { expectedCloseDate: 'Enter a date' },
    });
  });
});
