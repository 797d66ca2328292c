import { describe, expect, it } from 'vitest';
import {
  columnTotals,
  dollars,
  isClosed,
  moveCard,
  neighbourStage,
  type OpportunityCard,
  type Stage,
} from './pipeline.js';

const STAGES: Stage[] = [
  { id: 'qualification', name: 'Qualification', position: 1, probability: 10, kind: 'OPEN' },
  { id: 'design', name: 'Design', position: 2, probability: 40, kind: 'OPEN' },
  { id: 'won', name: 'Won', position: 3, probability: 100, kind: 'WON' },
  { id: 'lost', name: 'Lost', position: 4, probability: 0, kind: 'LOST' },
];
const card = (id: string, stageId: string, amount: number | null, probability: number): OpportunityCard => ({
  id,
  name: id,
  stageId,
  amount,
  systemSizeKw: null,
  probability,
  expectedCloseDate: null,
  ownerId: null,
  account: null,
});
const BOARD = [
  card('a', 'qualification', 20000, 10),
  card('b', 'qualification', null, 10),
  card('c', 'design', 30000, 40),
];

describe('the pipeline board', () => {
  it('totals each column: count, value and probability-weighted value', () => {
    expect(columnTotals(BOARD, 'qualification')).toEqual({ count: 2, value: 20000, weightedValue: 2000 });
    expect(columnTotals(BOARD, 'design')).toEqual({ count: 1, value: 30000, weightedValue: 12000 });
    expect(columnTotals(BOARD, 'won')).toEqual({ count: 0, value: 0, weightedValue: 0 });
  });

  it('moves a card with its new stage probability, so the totals follow at once', () => {
    const moved = moveCard(BOARD, STAGES, 'a', 'design');
    expect(moved.find((c) => c.id === 'a')).toMatchObject({ stageId: 'design', probability: 40 });
    expect(columnTotals(moved, 'design')).toEqual({ count: 2, value: 50000, weightedValue: 20000 });
    expect(BOARD[0]!.stageId).toBe('qualification'); // the old board stays intact for a rollback
    expect(moveCard(BOARD, STAGES, 'a', 'nowhere')).toEqual(BOARD);
  });

  it('knows the neighbouring stages and which stages are final', () => {
    expect(neighbourStage(STAGES, 'qualification', 1)?.id).toBe('design');
    expect(neighbourStage(STAGES, 'qualification', -1)).toBeNull();
    expect(isClosed(STAGES, 'won')).toBe(true);
    expect(isClosed(STAGES, 'design')).toBe(false);
  });

  it('shows money in whole dollars, or compact in column headers', () => {
    expect(dollars(31500)).toBe('$31,500');
    expect(dollars(1250000, true)).toBe('$1.3M');
    expect(dollars(null)).toBe('—');
  });
});
