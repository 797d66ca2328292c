import { describe, expect, it } from 'vitest';
import type { OpportunityCard, OpportunityNode } from '../sales/pipeline.js';
import { applyChange } from './opportunity-changes.js';

const node = (id: string, stage: string, amount = 10_000): OpportunityNode => ({
  id,
  name: id,
  amount,
  systemSizeKw: 8,
  probability: 40,
  expectedCloseDate: null,
  ownerId: 'u1',
  account: null,
  stage: { id: stage },
});
const card = (id: string, stageId: string): OpportunityCard => {
  const { stage: _stage, ...rest } = node(id, stageId);
  return { ...rest, stageId };
};
const board = [card('a', 'qualification'), card('b', 'design')];

describe('a board following other people’s changes', () => {
  it('moves a card someone else moved, and shows a new deal', () => {
    const moved = applyChange(board, { id: 'a', kind: 'UPDATED', actorId: 'u2', record: node('a', 'won') });
    expect(moved.find((c) => c.id === 'a')?.stageId).toBe('won');
    const added = applyChange(board, {
      id: 'c',
      kind: 'CREATED',
      actorId: 'u2',
      record: node('c', 'design'),
    });
    expect(added.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('drops a deal that was deleted or left the viewer’s sight', () => {
    expect(
      applyChange(board, { id: 'b', kind: 'REMOVED', actorId: null, record: null }).map((c) => c.id),
    ).toEqual(['a']);
  });

  it('leaves a card alone while the viewer’s own move of it is in flight', () => {
    const change = { id: 'a', kind: 'UPDATED' as const, actorId: 'u2', record: node('a', 'won') };
    expect(applyChange(board, change, new Set(['a']))).toEqual(board);
  });
});
