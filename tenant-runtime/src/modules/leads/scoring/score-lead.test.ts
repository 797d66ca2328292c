import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { explainScore, parseScoringRules, scoreLead, type ScoringLead } from './score-lead.js';
import { defaultScoringRules } from './scoring-rules.js';

const asOf = new Date('2025-06-01T12:00:00Z');
const daysAgo = (n: number) => new Date(asOf.getTime() - n * 86_400_000);
const rules = defaultScoringRules;

const idealLead: ScoringLead = {
  source: 'referral',
  monthlyBill: 320,
  roofType: 'asphalt_shingle',
  roofAgeYears: 6,
  roofOrientation: 'south',
  shading: 'none',
  creditBand: 'excellent',
  ownership: 'homeowner',
};

describe('scoreLead — explained scores a rep can trust', () => {
  it('explains a strong referral line by line, and grades it A', () => {
    const result = scoreLead(idealLead, { asOf, meetingBookedAt: daysAgo(0) }, rules);
    expect(explainScore(result)).toEqual([
      'Score 100 (A)',
      '+20 Referred by a customer or friend',
      '+22 Bill $250–$400 a month: strong savings',
      '+8 Asphalt shingle roof: standard install',
      '+5 Roof under 10 years old',
      '+10 South-facing roof',
      '+10 No shading',
      '+15 Excellent credit: qualifies for every financing option',
      '+10 Owns the home',
      '+15 Booked a meeting (today)',
      '(points total 115, capped to 0–100)',
    ]);
    expect(result).toMatchObject({ score: 100, grade: 'A', rawTotal: 115, missing: [] });
  });

  it('names every rule that fired so the score can be traced to configuration', () => {
    const result = scoreLead(idealLead, { asOf }, rules);
    expect(result.contributions.map((c) => c.rule)).toEqual([
      'source.referral',
      'monthlyBill.250-400',
      'roofType.asphalt_shingle',
      'roofAge.0-10',
      'roofOrientation.south',
      'shading.none',
      'creditBand.excellent',
      'ownership.homeowner',
    ]);
    expect(result.score).toBe(100);
  });

  it('scores a bare web lead on source alone and lists what to ask next', () => {
    const result = scoreLead({ source: 'web_form' }, { asOf }, rules);
    expect(result).toEqual({
      score: 12,
      grade: 'D',
      rawTotal: 12,
      contributions: [{ rule: 'source.web_form', points: 12, reason: 'Asked for a quote on our website' }],
      missing: [
        'monthlyBill',
        'roofType',
        'roofAge',
        'roofOrientation',
        'shading',
        'creditBand',
        'ownership',
      ],
    });
    expect(explainScore(result).at(-1)).toBe(
      'Not known yet: monthlyBill, roofType, roofAge, roofOrientation, shading, creditBand, ownership',
    );
  });

  it('never goes below 0: a renter with a north roof under heavy shade is a D at 0', () => {
    const result = scoreLead(
      {
        source: 'other',
        monthlyBill: 60,
        roofOrientation: 'north',
        shading: 'heavy',
        ownership: 'renter',
        creditBand: 'poor',
      },
      { asOf },
      rules,
    );
    expect(result.rawTotal).toBe(0 - 10 - 10 - 20 - 15 - 30);
    expect(result.score).toBe(0);
    expect(result.grade).toBe('D');
    expect(result.contributions.find((c) => c.rule === 'ownership.renter')?.reason).toBe(
      'Rents: needs the landlord to agree',
    );
  });

  it('puts the bill in the right band at the edges (min inclusive, max exclusive)', () => {
    const bill = (monthlyBill: number) =>
      scoreLead({ source: 'other', monthlyBill }, { asOf }, rules).contributions.find((c) =>
        c.rule.startsWith('monthlyBill'),
      )?.rule;
    expect(bill(0)).toBe('monthlyBill.0-100');
    expect(bill(99.99)).toBe('monthlyBill.0-100');
    expect(bill(100)).toBe('monthlyBill.100-150');
    expect(bill(249.99)).toBe('monthlyBill.150-250');
    expect(bill(400)).toBe('monthlyBill.400+');
    expect(bill(5000)).toBe('monthlyBill.400+');
  });

  it('scores old roofs, tile roofs and each shading and credit level as configured', () => {
    const pointsFor = (lead: Partial<ScoringLead>, prefix: string) =>
      scoreLead({ source: 'other', ...lead }, { asOf }, rules).contributions.find((c) =>
        c.rule.startsWith(prefix),
      )?.points;
    expect(pointsFor({ roofAgeYears: 25 }, 'roofAge')).toBe(-10);
    expect(pointsFor({ roofAgeYears: 10 }, 'roofAge')).toBe(0);
    expect(pointsFor({ roofType: 'tile' }, 'roofType')).toBe(2);
    expect(pointsFor({ roofType: 'wood_shake' }, 'roofType')).toBe(-10);
    expect(pointsFor({ shading: 'light' }, 'shading')).toBe(5);
    expect(pointsFor({ shading: 'moderate' }, 'shading')).toBe(-5);
    expect(pointsFor({ creditBand: 'good' }, 'creditBand')).toBe(10);
    expect(pointsFor({ creditBand: 'fair' }, 'creditBand')).toBe(0);
    expect(pointsFor({ roofOrientation: 'west' }, 'roofOrientation')).toBe(5);
  });

  it('lets engagement fade: a meeting booked a month ago is worth half of one booked today', () => {
    const meeting = (days: number) =>
      scoreLead({ source: 'other' }, { asOf, meetingBookedAt: daysAgo(days) }, rules).contributions.find(
        (c) => c.rule === 'engagement.meetingBooked',
      );
    expect(meeting(0)).toEqual({
      rule: 'engagement.meetingBooked',
      points: 15,
      reason: 'Booked a meeting (today)',
    });
    expect(meeting(30)).toEqual({
      rule: 'engagement.meetingBooked',
      points: 8, // 15 × 0.5 = 7.5, rounded
      reason: 'Booked a meeting (30 days ago)',
    });
    expect(meeting(1)?.reason).toBe('Booked a meeting (1 day ago)');
    // an email opened half a year ago has faded to nothing and is not shown
    const faded = scoreLead({ source: 'other' }, { asOf, emailOpenedAt: daysAgo(180) }, rules);
    expect(faded.contributions.map((c) => c.rule)).toEqual(['source.other']);
  });

  it('adds opened and replied signals and takes points off a lead nobody touched for weeks', () => {
    const result = scoreLead(
      { source: 'paid_ads' },
      { asOf, emailOpenedAt: daysAgo(2), repliedAt: daysAgo(60), lastTouchAt: daysAgo(50) },
      rules,
    );
    expect(result.contributions.slice(1)).toEqual([
      { rule: 'engagement.emailOpened', points: 3, reason: 'Opened our email (2 days ago)' },
      { rule: 'engagement.replied', points: 1, reason: 'Replied to us (60 days ago)' },
      { rule: 'engagement.stale', points: -10, reason: 'No contact in a long time (last touch 50 days ago)' },
    ]);
    expect(result.score).toBe(6 + 3 + 1 - 10);
    // a recent touch lifts the penalty
    const touched = scoreLead({ source: 'paid_ads' }, { asOf, lastTouchAt: daysAgo(3) }, rules);
    expect(touched.contributions.map((c) => c.rule)).toEqual(['source.paid_ads']);
  });

  it('is deterministic: the same inputs give the same result', () => {
    const signals = { asOf, emailOpenedAt: daysAgo(5), repliedAt: daysAgo(4) };
    expect(scoreLead(idealLead, signals, rules)).toEqual(scoreLead(idealLead, signals, rules));
  });

  it('grades by the configured thresholds', () => {
    const custom = parseScoringRules({ grades: { A: 90, B: 20, C: 10 } });
    const result = scoreLead({ source: 'referral' }, { asOf }, custom);
    expect(result).toMatchObject({ score: 20, grade: 'B' });
    expect(scoreLead({ source: 'referral' }, { asOf }, rules).grade).toBe('D');
  });

  it('runs a tenant rule set: a replaced section scores only what it lists', () => {
    const custom = parseScoringRules({ source: { event: { points: 40, reason: 'Home show visitor' } } });
    expect(scoreLead({ source: 'event' }, { asOf }, custom).contributions).toEqual([
      { rule: 'source.event', points: 40, reason: 'Home show visitor' },
    ]);
    expect(scoreLead({ source: 'referral' }, { asOf }, custom).contributions).toEqual([]);
    // other sections keep their defaults
    expect(custom.shading).toEqual(defaultScoringRules.shading);
  });

  it('rejects a broken rule set with field-level messages', () => {
    const bad = () =>
      parseScoringRules({
        monthlyBill: {
          bands: [
            { min: 100, max: 50, points: 5, reason: 'x' },
            { min: 0, points: 500, reason: '' },
          ],
          unknown: { points: 0, reason: 'unknown' },
        },
        grades: { A: 10, B: 20, C: 30 },
      });
    expect(bad).toThrow(ValidationFailed);
    try {
      bad();
    } catch (err) {
      const fields = (err as ValidationFailed).fields;
      expect(fields['scoringRules.monthlyBill.bands.0.max']).toEqual(['max must be above min']);
      expect(fields['scoringRules.monthlyBill.bands.1.points']?.[0]).toMatch(/100/);
      expect(fields['scoringRules.monthlyBill.bands.1.reason']).toEqual(['Required']);
      expect(fields['scoringRules.grades']).toEqual(['Grade thresholds must fall from A to C']);
    }
  });
});
