import type { KubernetesObject } from '@kubernetes/client-node';
import { z } from 'zod';
import { ValidationFailed } from '@solar/common';
import type { TenantObject } from '../reconciler/types.js';
import {
  conditionTypes,
  emptyStatus,
  tenantPhases,
  tenantSpecSchema,
  type TenantStatus,
} from '../tenant-spec.js';
import { FINALIZER, tenantIdFor } from './names.js';

/** A Tenant as the API server returns it (cluster-scoped custom object, group solarcrm.io). */
export interface TenantResource extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const conditionSchema = z.object({
  type: z.enum(conditionTypes),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string().default(''),
  observedGeneration: z.number().int().default(0),
  lastTransitionTime: z.string(),
});

/** status as the CRD keeps it; unknown condition types (someone else's) are dropped, never fatal. */
const statusSchema = z.object({
  phase: z.enum(tenantPhases).catch('Pending'),
  observedGeneration: z.number().int().catch(0),
  conditions: z
    .array(z.unknown())
    .catch([])
    .transform((list) => list.flatMap((c) => (conditionSchema.safeParse(c).data ?? []) as never[])),
  database: z
    .object({ schema: z.string(), user: z.string() })
    .nullable()
    .catch(null)
    .transform((d) => (d ? { schema: d.schema, user: d.user } : null)),
  schemaVersion: z.string().nullable().catch(null),
  runtimeVersion: z.string().nullable().catch(null),
  endpoint: z.string().nullable().catch(null),
  lastError: z.string().nullable().catch(null),
});

/** The observed status written last, in the reconciler's shape (the Secret reference is added on write). */
export function readStatus(status: unknown): TenantStatus {
  if (!status || typeof status !== 'object') return emptyStatus();
  const parsed = statusSchema.safeParse({ ...emptyStatus(), ...status });
  return parsed.success ? (parsed.data as TenantStatus) : emptyStatus();
}

/**
 * The Tenant as the shared reconciler sees it: id, spec validated with the same zod schema the local driver
 * uses (the CRD schema mirrors it, so this fails only for objects written around admission), generation from
 * metadata, and deletionTimestamp as the deletion request.
 */
export function toTenantObject(res: TenantResource): TenantObject {
  const parsed = tenantSpecSchema.safeParse(res.spec ?? {});
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['spec']);
  const meta = res.metadata ?? {};
  const deletion = meta.deletionTimestamp;
  return {
    id: tenantIdFor(meta),
    slug: parsed.data.slug,
    generation: meta.generation ?? 1,
    spec: parsed.data,
    status: readStatus(res.status),
    deletionRequestedAt: deletion ? new Date(deletion) : null,
  };
}

export const hasFinalizer = (res: TenantResource) => (res.metadata?.finalizers ?? []).includes(FINALIZER);
