import { ApiException } from '@kubernetes/client-node';
import { expect } from 'vitest';

/** Tenants are cluster-scoped custom objects; every CustomObjectsApi call needs these three. */
export const tenantsGvp = { group: 'solarcrm.io', version: 'v1alpha1', plural: 'tenants' } as const;

export const tenant = (
  name: string,
  spec: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'solarcrm.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name, ...extra },
  spec: { slug: name, displayName: `${name} Solar`, ...spec },
});

export interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; kind?: string; causes?: { reason: string; field?: string; message: string }[] };
}

/** Awaits a failing client call and returns the metav1.Status the server answered with. */
export async function statusOf(call: Promise<unknown>): Promise<Status> {
  const err: unknown = await call.then(
    () => {
      throw new Error('expected the API call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  const body = (err as ApiException<unknown>).body;
  const status = (typeof body === 'string' ? JSON.parse(body) : body) as Status;
  expect(status.kind).toBe('Status');
  expect(status.code).toBe((err as ApiException<unknown>).code);
  return status;
}

/** Polls until `check` stops throwing (watch and GC effects are asynchronous). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
