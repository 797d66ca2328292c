import type { EntityChange } from '@solar/common';

/** The runtime's change messages (wire contract in @solar/common/change-message), as the edge cache reads them. */
export {
  CHANGE_CHANNEL_PREFIX,
  TENANT_ID_PATTERN,
  changeSchema,
  changeMessageSchema,
  type ChangeMessage,
} from '@solar/common';
export type Change = EntityChange;

/** The tags a change invalidates: the entity itself and every list its type appears in. */
export const tagsForChange = (change: Change): string[] => [
  `${change.type}:${change.id}`,
  `${change.type}:*`,
];
