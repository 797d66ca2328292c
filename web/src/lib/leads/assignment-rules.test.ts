import { describe, expect, it } from 'vitest';
import { assignmentForm, assignmentRulesOf, newTerritory } from './assignment-rules.js';
import { errorsWithin } from './lead-settings.js';

describe('lead assignment settings', () => {
  it('read off, round-robin and by-load rules, and write them back', () => {
    expect(assignmentRulesOf(assignmentForm(null))).toEqual({ rules: null });
    const rr = { strategy: 'round_robin', pool: { unitId: 'team-a' } };
    expect(assignmentRulesOf(assignmentForm(rr))).toEqual({ rules: rr });
    expect(assignmentRulesOf(assignmentForm({ strategy: 'load', pool: {} }))).toEqual({
      rules: { strategy: 'load', pool: {} },
    });
  });

  it('round-trip territories of every kind, with a fallback', () => {
    const rules = {
      strategy: 'territory',
      territories: [
        {
          name: 'Phoenix metro',
          match: { kind: 'postcode', prefixes: ['850', '852'], ranges: [{ from: '85300', to: '85399' }] },
          assignTo: { unitId: 'phx', pick: 'load' },
        },
        {
          name: 'Tucson',
          match: { kind: 'radius', center: { lat: 32.22, lon: -110.97 }, radiusKm: 40 },
          assignTo: { memberId: 'm1' },
        },
        {
          name: 'Branch forms',
          match: { kind: 'org_unit', unitIds: ['b1'] },
          assignTo: { pick: 'round_robin' },
        },
      ],
      fallback: { unitId: 'inside-sales', pick: 'round_robin' },
    };
    expect(assignmentRulesOf(assignmentForm(rules))).toEqual({ rules });
  });

  it('say how to write a postcode range it cannot read, beside the field', () => {
    const form = assignmentForm(null);
    form.strategy = 'territory';
    form.territories.push({ ...newTerritory(), name: 'East', ranges: '85001-85099, 86xxx' });
    expect(assignmentRulesOf(form)).toEqual({
      errors: { 'territories.0.match.ranges': 'Write ranges as from-to, like 85001-85099' },
    });
    expect(errorsWithin('assignmentRules', { 'assignmentRules.territories.0.name': 'Required' })).toEqual({
      'territories.0.name': 'Required',
    });
  });
});
