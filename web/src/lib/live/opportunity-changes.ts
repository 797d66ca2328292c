import { CARD_FIELDS } from '../sales/sales-documents.js';
import { toCard, type OpportunityCard, type OpportunityNode } from '../sales/pipeline.js';

/** Live changes to opportunities, as the API streams them (tenant-runtime README, "Realtime"). */
export const OPPORTUNITY_CHANGED_SUBSCRIPTION = `
  subscription OpportunityChanged($id: ID!) {
    recordChanged(type: OPPORTUNITY, id: $id) {
      id kind actorId
      record { ... on Opportunity { ${CARD_FIELDS} } }
    }
  }
`;

export const OPPORTUNITIES_CHANGED_SUBSCRIPTION = `
  subscription OpportunitiesChanged($showing: [ID!]) {
    recordsChanged(type: OPPORTUNITY, showing: $showing) {
      id kind actorId
      record { ... on Opportunity { ${CARD_FIELDS} } }
    }
  }
`;

export interface OpportunityChange {
  id: string;
  kind: 'CREATED' | 'UPDATED' | 'REMOVED';
  actorId: string | null;
  /** null when REMOVED */
  record: OpportunityNode | null;
}

/**
 * The board after a change someone made: an update replaces the card, a new deal joins it, a removed one (deleted,
 * or moved out of the viewer's sight) leaves. Cards with a move still in flight keep their optimistic place.
 */
export function applyChange(
  cards: readonly OpportunityCard[],
  change: OpportunityChange,
  pending: ReadonlySet<string> = new Set(),
): OpportunityCard[] {
  if (pending.has(change.id)) return [...cards];
  if (change.kind === 'REMOVED' || !change.record) return cards.filter((c) => c.id !== change.id);
  const card = toCard(change.record);
  return cards.some((c) => c.id === card.id)
    ? cards.map((c) => (c.id === card.id ? card : c))
    : [...cards, card];
}
