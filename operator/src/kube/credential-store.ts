import type { V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import { open, seal, type Knex } from '@solar/common';
import type { CredentialStore } from '../reconciler/types.js';
import { isConflict, type KubeApi } from './kube-api.js';
import { tenantLabels } from './names.js';

export interface SecretLocation {
  namespace: string;
  name: string;
  /** the Tenant, so the Secret is collected with it */
  owner: V1OwnerReference;
  tenantName: string;
  /** written beside the password so a runtime Pod can take the whole connection from the Secret */
  schema: string;
  dbHost: string;
  dbPort: number;
}

interface State {
  password: string | null;
  next: string | null;
  rotatedAt: Date | null;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : null);

function stateOf(secret: V1Secret | null): State {
  const d = secret?.data ?? {};
  const rotated = unb64(d.rotatedAt);
  return {
    password: unb64(d.password),
    next: unb64(d.passwordNext),
    rotatedAt: rotated ? new Date(rotated) : null,
  };
}

/**
 * Tenant DB passwords in a Secret `tenant-<name>-db` (Kubernetes keeps it; RBAC and encryption at rest are the
 * cluster's). Every write is conditional on the Secret's resourceVersion, so two operator processes cannot
 * both fill the same slot: the loser gets 409, re-reads, and uses the winner's password — what `put` promises.
 *
 * When `registry` is given, the password is also mirrored, sealed with PLATFORM_SECRET_KEY (tenant id as
 * associated data), into platform.tenants, because the pooled runtime and platform-api read credentials from
 * the registry in both modes. The Secret is the source of truth; the mirror is rewritten whenever it differs.
 */
export function createSecretCredentialStore(
  api: KubeApi,
  where: SecretLocation,
  registry?: { db: Knex; secretKey: Buffer },
): CredentialStore {
  const read = async () => stateOf(await api.readSecret(where.namespace, where.name));

  async function mirror(tenantId: string, s: State): Promise<void> {
    if (!registry) return;
    const row = (await registry
      .db('tenants')
      .where({ id: tenantId })
      .first('db_password_sealed', 'db_password_next_sealed', 'db_password_rotated_at')) as
      | {
          db_password_sealed: string | null;
          db_password_next_sealed: string | null;
          db_password_rotated_at: Date | null;
        }
      | undefined;
    if (!row) return;
    const opens = (sealed: string | null) => {
      if (!sealed) return null;
      try {
        return open(sealed, registry.secretKey, tenantId);
      } catch {
        return undefined; // sealed under another key: rewrite it
      }
    };
    const update: Record<string, unknown> = {};
    if (opens(row.db_password_sealed) !== s.password)
      update.db_password_sealed = s.password ? seal(s.password, registry.secretKey, tenantId) : null;
    if (opens(row.db_password_next_sealed) !== s.next)
      update.db_password_next_sealed = s.next ? seal(s.next, registry.secretKey, tenantId) : null;
    if ((row.db_password_rotated_at?.getTime() ?? null) !== (s.rotatedAt?.getTime() ?? null))
      update.db_password_rotated_at = s.rotatedAt;
    if (Object.keys(update).length > 0)
      await registry
        .db('tenants')
        .where({ id: tenantId })
        .update({ ...update, updated_at: registry.db.fn.now(3) });
  }

  /** Applies `change` to the current state with optimistic concurrency; a lost race is left to the caller's re-read. */
  async function write(tenantId: string, change: (s: State) => State | null): Promise<void> {
    const secret = await api.readSecret(where.namespace, where.name);
    const before = stateOf(secret);
    const after = change(before);
    if (!after) return mirror(tenantId, before);
    const data: Record<string, string | null> = {
      password: after.password ? b64(after.password) : null,
      passwordNext: after.next ? b64(after.next) : null,
      rotatedAt: after.rotatedAt ? b64(after.rotatedAt.toISOString()) : null,
    };
    try {
      if (!secret) {
        await api.createSecret(where.namespace, {
          metadata: {
            name: where.name,
            labels: tenantLabels(where.tenantName),
            ownerReferences: [where.owner],
          },
          type: 'Opaque',
          data: {
            username: b64(where.schema),
            database: b64(where.schema),
            host: b64(where.dbHost),
            port: b64(String(where.dbPort)),
            ...(Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null)) as Record<
              string,
              string
            >),
          },
        });
      } else {
        await api.patchSecret(where.namespace, where.name, {
          metadata: { resourceVersion: secret.metadata?.resourceVersion },
          data,
        });
      }
    } catch (err) {
      if (isConflict(err)) return; // another writer won; callers re-read
      throw err;
    }
    await mirror(tenantId, after);
  }

  return {
    async get(tenantId) {
      const s = await read();
      await mirror(tenantId, s);
      return s.password;
    },
    put: (tenantId, password) => write(tenantId, (s) => (s.password ? null : { ...s, password })),
    async rotation() {
      const s = await read();
      return { next: s.next, rotatedAt: s.rotatedAt };
    },
    stage: (tenantId, password) => write(tenantId, (s) => (s.next ? null : { ...s, next: password })),
    promote: (tenantId, password) =>
      write(tenantId, (s) => (s.next === password ? { password, next: null, rotatedAt: new Date() } : null)),
    settle: (tenantId) => write(tenantId, (s) => (s.rotatedAt ? { ...s, rotatedAt: null } : null)),
    async forget(tenantId) {
      await api.deleteSecret(where.namespace, where.name);
      await mirror(tenantId, { password: null, next: null, rotatedAt: null });
    },
  };
}

/** Marks a credentials Secret kept after its Tenant was deleted with deletionPolicy Retain. */
export const RETAINED_ANNOTATION = 'solarcrm.io/retained-from';

/**
 * deletionPolicy Retain keeps the tenant's schema and DB user, so the way to reach them must outlive the
 * Tenant too. The Secret is owned by the Tenant (garbage-collected with it), so before the finalizer goes:
 * pooled — the Secret (operator namespace) loses its owner reference in place; dedicated — the tenant's
 * namespace is collected with everything in it, so an unowned copy is applied in the operator namespace.
 * Idempotent: a pass that crashed halfway does the rest.
 */
export async function retainCredentialSecret(
  api: KubeApi,
  where: { namespace: string; name: string },
  tenantName: string,
  operatorNamespace: string,
): Promise<void> {
  const secret = await api.readSecret(where.namespace, where.name);
  if (!secret) return;
  const annotations = { [RETAINED_ANNOTATION]: `Tenant ${tenantName} (deletionPolicy Retain)` };
  if (where.namespace === operatorNamespace) {
    if (!secret.metadata?.ownerReferences?.length && secret.metadata?.annotations?.[RETAINED_ANNOTATION])
      return;
    await api.patchSecret(where.namespace, where.name, {
      metadata: { ownerReferences: null, annotations },
    });
    return;
  }
  await api.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: where.name,
      namespace: operatorNamespace,
      labels: tenantLabels(tenantName),
      annotations,
    },
    type: secret.type ?? 'Opaque',
    data: secret.data ?? {},
  });
}
