import { describe, expect, it } from 'vitest';
import { editOpportunityFields, newOpportunityFields } from './opportunity-fields.js';

describe('deal forms', () => {
  it('offer only active members as the owner', () => {
    const owner = editOpportunityFields({
      members: [
        { id: 'a', displayName: 'Ana', status: 'ACTIVE' },
        { id: 'b', displayName: 'Ben', status: 'DISABLED' },
      ],
      orgUnits: [],
    }).find((f) => f.name === 'ownerId');
    expect(owner?.options).toEqual([{ value: 'a', label: 'Ana' }]);
  });

  it("ask for the site only when the customer has one, choosing among the customer's sites", () => {
    expect(newOpportunityFields([]).map((f) => f.name)).not.toContain('siteId');
    const site = newOpportunityFields([{ id: 's1', label: 'Home' }]).find((f) => f.name === 'siteId');
    expect(site?.options).toEqual([{ value: 's1', label: 'Home' }]);
  });
});
