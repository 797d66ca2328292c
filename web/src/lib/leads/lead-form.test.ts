import { describe, expect, it } from 'vitest';
import { emptyLeadForm, leadChanges, newLeadInput, parseMonthlyBill } from './lead-form';

describe('the lead form', () => {
  it('reads a monthly bill the way people type it', () => {
    expect(parseMonthlyBill(' $1,180 ')).toBe(1180);
    expect(parseMonthlyBill('')).toBeNull();
    expect(parseMonthlyBill('lots')).toBeUndefined();
  });

  it('a new lead needs both names, leaves blanks out and upper-cases the country', () => {
    expect(newLeadInput(emptyLeadForm())).toEqual({
      errors: { firstName: 'Enter a first name', lastName: 'Enter a last name' },
    });
    const values = {
      ...emptyLeadForm(),
      firstName: ' Ana ',
      lastName: 'Diaz',
      country: 'us',
      monthlyBill: '180',
    };
    expect(newLeadInput(values)).toEqual({
      input: { source: 'WEB_FORM', firstName: 'Ana', lastName: 'Diaz', country: 'US', monthlyBill: 180 },
    });
    expect(newLeadInput({ ...values, monthlyBill: 'abc' })).toEqual({
      errors: { monthlyBill: 'Enter an amount, like 180' },
    });
  });

  it('an edit sends only what changed, and a blank clears the bill', () => {
    const before = { ...emptyLeadForm(), firstName: 'Ana', lastName: 'Diaz', monthlyBill: '180' };
    expect(leadChanges(before, { ...before })).toEqual({ input: {} });
    expect(leadChanges(before, { ...before, status: 'CONTACTED', monthlyBill: '' })).toEqual({
      input: { status: 'CONTACTED', monthlyBill: null },
    });
  });
});
