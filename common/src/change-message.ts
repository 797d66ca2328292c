import { z } from 'zod';

/**
 * The wire contract between tenant-runtime (which publishes what changed, after the write commits) and
 * platform-api's edge cache (which drops cached answers carrying those entities). One Redis channel per tenant,
 * `solar:changes:<tenantId>`, with the tenant repeated in the message; the subscriber accepts a message only
 * when both agree.
 */
export const CHANGE_CHANNEL_PREFIX = 'solar:changes:';

export const TENANT_ID_PATTERN = /^[a-z0-9]{12}$/;

export const changeSchema = z.object({
  /** GraphQL type name of the changed entity, e.g. Lead */
  type: z.string().regex(/^[A-Z][A-Za-z0-9]{0,63}$/, { message: 'must be a GraphQL type name such as Lead' }),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be an entity id' }),
});
export type EntityChange = z.infer<typeof changeSchema>;

export const changeMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().regex(TENANT_ID_PATTERN),
  changes: z.array(changeSchema).min(1).max(1000),
});
export type ChangeMessage = z.infer<typeof changeMessageSchema>;
