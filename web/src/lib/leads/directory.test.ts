import { describe, expect, it } from 'vitest';
import { ownerName, unitName, type Directory } from './directory.js';

const dir: Directory = {
  members: [{ id: 'm1', displayName: 'Priya Rep', status: 'ACTIVE' }],
  orgUnits: [{ id: 'u1', kind: 'TEAM', name: 'Phoenix Sales', parentId: null, depth: 0 }],
};

describe('names instead of ids on leads', () => {
  it('names the owner, or says it is you, unassigned or someone you cannot look up', () => {
    expect(ownerName(dir, 'me', 'm1')).toBe('Priya Rep');
    expect(ownerName(dir, 'me', 'me')).toBe('You');
    expect(ownerName(dir, 'me', null)).toBe('Unassigned');
    expect(ownerName({ members: [], orgUnits: [] }, 'me', 'm1')).toBe('Someone else');
  });

  it('names the team', () => {
    expect(unitName(dir, 'u1')).toBe('Phoenix Sales');
    expect(unitName(dir, null)).toBe('—');
  });
});
