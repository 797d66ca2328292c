import { z } from 'zod';

/**
 * The runtime's change events as the edge cache receives them (published by
 * tenant-runtime/src/engine/events/change-publisher.ts). Neither program's image contains the other, so both
 * sides hold this small wire contract; the runtime's test runs its publisher against this subscriber.
 */
export const CHANGE_CHANNEL_PREFIX = 'solar:changes:';

export const TENANT_ID_PATTERN = /^[a-z0-9]{12}$/;

export const changeSchema = z.object({
  /** GraphQL type name of the changed entity, e.g. Lead */
  type: z.string().regex(/^[A-Z][A-Za-z0-9]{0,63}$/),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
});
export type Change = z.infer<typeof changeSchema>;

export const changeMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().regex(TENANT_ID_PATTERN),
  changes: z.array(changeSchema).min(1).max(1000),
});
export type ChangeMessage = z.infer<typeof changeMessageSchema>;

/** The tags a change invalidates: the entity itself and every list its type appears in. */
export const tagsForChange = (change: Change): string[] => [
  `${change.type}:${change.id}`,
  `${change.type}:*`,
];
