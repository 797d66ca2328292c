import { describe, expect, it } from 'vitest';
import { errorsWithin } from './lead-settings.js';
import { scoringForm, scoringRulesOf, valueLabel } from './scoring-rules.js';

const builtIn = {
  source: { referral: { points: 20, reason: 'Referred' }, web_form: { points: 12, reason: 'Web' } },
  roofType: { metal: { points: 8, reason: 'Metal' } },
  roofOrientation: {},
  shading: {},
  creditBand: {},
  ownership: {},
  monthlyBill: {
    bands: [
      { min: 0, max: 100, points: -10, reason: 'Small bill' },
      { min: 100, points: 20, reason: 'Big bill' },
    ],
    unknown: { points: 0, reason: 'Not known' },
  },
  roofAge: { bands: [{ min: 0, max: 10, points: 5, reason: 'New roof' }] },
  engagement: {
    emailOpened: { points: 3, reason: 'Opened', halfLifeDays: 14 },
    replied: { points: 8, reason: 'Replied', halfLifeDays: 21 },
    meetingBooked: { points: 15, reason: 'Booked', halfLifeDays: 30 },
    stale: { afterDays: 45, points: -10, reason: 'Quiet' },
  },
  grades: { A: 70, B: 50, C: 30 },
};

describe('lead scoring settings', () => {
  it('round-trip the rules unchanged through the form', () => {
    expect(scoringRulesOf(scoringForm(builtIn, builtIn))).toEqual(builtIn);
  });

  it('list a value the workspace dropped with a blank reason, and drop any value whose reason is cleared', () => {
    const rules = { ...builtIn, source: { referral: { points: 25, reason: 'Referred' } } };
    const form = scoringForm(rules, builtIn);
    expect(form.choices['source']).toEqual([
      { value: 'referral', points: 25, reason: 'Referred' },
      { value: 'web_form', points: 0, reason: '' },
    ]);
    form.choices['source']![0]!.reason = '  ';
    expect(scoringRulesOf(form)['source']).toEqual({});
  });

  it('leave an open-ended band without a max, and send an emptied number as null for the API to refuse', () => {
    const form = scoringForm(builtIn, builtIn);
    form.bands['monthlyBill']![1]!.points = null;
    const bill = scoringRulesOf(form)['monthlyBill'] as { bands: Array<Record<string, unknown>> };
    expect(bill.bands[1]).toEqual({ min: 100, points: null, reason: 'Big bill' });
  });

  it('place the API’s messages by their path inside the rules', () => {
    expect(errorsWithin('scoringRules', { 'scoringRules.monthlyBill.bands.1.points': 'Required' })).toEqual({
      'monthlyBill.bands.1.points': 'Required',
    });
    expect(valueLabel('web_form')).toBe('Web form');
  });
});
