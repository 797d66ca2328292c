import { describe, expect, it } from 'vitest';
import { planPage } from './row-scope.js';
import type { Scope } from './scope.js';
import { defineTable } from './table.js';

const withClosure = defineTable({
  name: 'leads',
  resource: 'leads',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
  unitClosure: 'leads_in_units',
});
const withoutClosure = defineTable({
  name: 'sites',
  resource: 'customers',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
});
const me = 'member-1';
/** a branch manager: the branch and its four teams, as one subtree */
const branch: Scope = {
  all: false,
  own: true,
  units: ['branch', 'team1', 'team2', 'team3', 'team4'],
  unitRoots: ['branch'],
  ownUnits: ['branch'],
};

describe('how a newest-first page is fetched', () => {
  it("a manager's subtree is one walk of the closure when everything they own lies inside it", () => {
    expect(planPage(withClosure, branch, me, ['branch', 'team2'])).toEqual({
      kind: 'parts',
      parts: [{ kind: 'root', unitId: 'branch', closure: 'leads_in_units' }],
    });
    expect(planPage(withClosure, branch, me, [])).toMatchObject({ parts: [{ kind: 'root' }] });
  });

  it('adds "owner = me" when they own rows elsewhere, or with no unit, or it is not known', () => {
    const both = { kind: 'parts', parts: [{ kind: 'root' }, { kind: 'owner', memberId: me }] };
    expect(planPage(withClosure, branch, me, ['team1', 'other-branch'])).toMatchObject(both);
    expect(planPage(withClosure, branch, me, [''])).toMatchObject(both);
    expect(planPage(withClosure, branch, me, undefined)).toMatchObject(both);
  });

  it('without a closure, or when the units are not whole subtrees, walks unit by unit (or the table when many)', () => {
    expect(planPage(withoutClosure, branch, me, [])).toEqual({ kind: 'primary' });
    const twoTeams: Scope = { ...branch, units: ['team1', 'team2'], unitRoots: undefined };
    expect(planPage(withClosure, twoTeams, me, ['team1'])).toEqual({
      kind: 'parts',
      parts: [
        { kind: 'unit', unitId: 'team1' },
        { kind: 'unit', unitId: 'team2' },
      ],
    });
  });

  it('a rep (own only) walks their own rows; all and nothing need no parts', () => {
    const own: Scope = { all: false, own: true, units: [], ownUnits: ['team1'] };
    expect(planPage(withoutClosure, own, me)).toEqual({
      kind: 'parts',
      parts: [{ kind: 'owner', memberId: me }],
    });
    expect(planPage(withClosure, { ...branch, all: true }, me, [])).toEqual({ kind: 'single' });
    expect(planPage(withClosure, { all: false, own: false, units: [], ownUnits: [] }, me, [])).toEqual({
      kind: 'single',
    });
  });
});
