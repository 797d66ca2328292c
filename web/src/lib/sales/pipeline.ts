/** The sales pipeline as the board shows it: stages in order, the opportunities in them, totals per column. */
export type StageKind = 'OPEN' | 'WON' | 'LOST';

export interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
}

export interface OpportunityCard {
  id: string;
  name: string;
  stageId: string;
  amount: number | null;
  systemSizeKw: number | null;
  probability: number;
  expectedCloseDate: string | null;
  ownerId: string | null;
  account: { id: string; name: string } | null;
}

export interface ColumnTotals {
  count: number;
  value: number;
  weightedValue: number;
}

export function columnTotals(cards: readonly OpportunityCard[], stageId: string): ColumnTotals {
  let count = 0;
  let value = 0;
  let weightedValue = 0;
  for (const c of cards) {
    if (c.stageId !== stageId) continue;
    count++;
    value += c.amount ?? 0;
    weightedValue += ((c.amount ?? 0) * c.probability) / 100;
  }
  return { count, value, weightedValue: Math.round(weightedValue * 100) / 100 };
}

/**
 * The board after moving one card: it takes the new stage's default probability, as the API does, so the
 * totals move with it before the API answers. Unknown cards or stages leave the board as it was.
 */
export function moveCard(
  cards: readonly OpportunityCard[],
  stages: readonly Stage[],
  id: string,
  stageId: string,
): OpportunityCard[] {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) return [...cards];
  return cards.map((c) => (c.id === id ? { ...c, stageId, probability: stage.probability } : c));
}

/** The stage one step left (-1) or right (+1) of `stageId`, or null at either end. */
export function neighbourStage(stages: readonly Stage[], stageId: string, step: -1 | 1): Stage | null {
  const i = stages.findIndex((s) => s.id === stageId);
  if (i < 0) return null;
  return stages[i + step] ?? null;
}

/** Won and lost are final: the API refuses to move a closed opportunity again. */
export function isClosed(stages: readonly Stage[], stageId: string): boolean {
  return stages.find((s) => s.id === stageId)?.kind !== 'OPEN';
}

const WHOLE_DOLLARS = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const COMPACT = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});

export function dollars(value: number | null, compact = false): string {
  if (value == null) return '—';
  return (compact ? COMPACT : WHOLE_DOLLARS).format(value);
}

/** An opportunity as the API answers it (CARD_FIELDS). */
export interface OpportunityNode extends Omit<OpportunityCard, 'stageId'> {
  stage: { id: string };
}

export function toCard({ stage, ...rest }: OpportunityNode): OpportunityCard {
  return { ...rest, stageId: stage.id };
}
