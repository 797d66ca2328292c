import { describe, expect, it } from 'vitest';
import { buildTree, subtreeIds, unitPath, visibleNodes } from './org-tree.js';

const units = [
  { id: 'w', name: 'West', parentId: null },
  { id: 'c', name: 'Central', parentId: null },
  { id: 'p', name: 'Phoenix', parentId: 'w' },
  { id: 'ps', name: 'Phoenix Sales', parentId: 'p' },
  { id: 't', name: 'Tucson', parentId: 'w' },
];

describe('org tree', () => {
  it('nests units under their parents, siblings by name', () => {
    const tree = buildTree(units);
    expect(tree.map((n) => n.unit.name)).toEqual(['Central', 'West']);
    expect(tree[1]!.children.map((n) => [n.unit.name, n.level])).toEqual([
      ['Phoenix', 2],
      ['Tucson', 2],
    ]);
  });

  it('lists only the rows of expanded branches, in screen order', () => {
    const tree = buildTree(units);
    expect(visibleNodes(tree, new Set()).map((n) => n.unit.id)).toEqual(['c', 'w']);
    expect(visibleNodes(tree, new Set(['w', 'p'])).map((n) => n.unit.id)).toEqual(['c', 'w', 'p', 'ps', 't']);
  });

  it('never offers a unit or its descendants as its own new parent', () => {
    expect([...subtreeIds(units, 'w')].sort()).toEqual(['p', 'ps', 't', 'w']);
    expect(unitPath(units, 'ps')).toBe('West › Phoenix › Phoenix Sales');
  });
});
