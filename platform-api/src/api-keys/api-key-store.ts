import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Knex } from '@solar/common';

/** `sk_live_` + 8 lookup characters + `_` + 43 secret characters (32 random bytes). */
export const API_KEY_PATTERN = /^(sk_live_[A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const LOOKUP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** Who an API key speaks for: its tenant, the member who created it (it acts as them), and its scopes. */
export interface ApiKeyPrincipal {
  keyId: string;
  tenantId: string;
  identityId: string;
  scopes: string[];
  lastUsedAt: Date | null;
}

export interface ApiKeyView {
  id: string;
  /** the member the key acts as */
  createdBy: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  created_by: string;
  name: string;
  prefix: string;
  secret_hash: Buffer;
  scopes: string | string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest();
// High-entropy random keys need no slow hash: sha256 is enough to make a leaked table useless.

export async function createApiKey(
  db: Knex,
  input: { tenantId: string; createdBy: string; name: string; scopes: string[]; expiresAt: Date | null },
): Promise<{ key: string; view: ApiKeyView }> {
  const lookup = [...randomBytes(8)].map((b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join('');
  const prefix = `sk_live_${lookup}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  const row = {
    id: randomUUID(),
    tenant_id: input.tenantId,
    created_by: input.createdBy,
    name: input.name,
    prefix,
    secret_hash: hashKey(key),
    scopes: JSON.stringify(input.scopes),
    created_at: new Date(),
    expires_at: input.expiresAt,
    last_used_at: null,
  };
  await db('api_keys').insert(row);
  return { key, view: toView({ ...row, scopes: input.scopes }) };
}

/**
 * The principal for a presented key, but only within `tenantId`: a key of another tenant, an expired or
 * revoked one, or one whose creator was disabled all come back as null.
 */
export async function findApiKey(db: Knex, tenantId: string, key: string): Promise<ApiKeyPrincipal | null> {
  const match = API_KEY_PATTERN.exec(key);
  if (!match) return null;
  const row = await db({ k: 'api_keys' })
    .join({ i: 'identities' }, 'i.id', 'k.created_by')
    .first<ApiKeyRow | undefined>(
      'k.id',
      'k.tenant_id',
      'k.created_by',
      'k.secret_hash',
      'k.scopes',
      'k.last_used_at',
    )
    .where('k.prefix', match[1])
    .andWhere('k.tenant_id', tenantId)
    .andWhere('i.status', 'active')
    .whereNull('k.revoked_at')
    .andWhere((q) => q.whereNull('k.expires_at').orWhere('k.expires_at', '>', new Date()));
  if (!row || !timingSafeEqual(row.secret_hash, hashKey(key))) return null;
  return {
    keyId: row.id,
    tenantId: row.tenant_id,
    identityId: row.created_by,
    scopes: parseScopes(row.scopes),
    lastUsedAt: row.last_used_at,
  };
}

/** last_used_at, written at most once a minute per key. */
export async function markApiKeyUsed(db: Knex, key: ApiKeyPrincipal): Promise<void> {
  if (key.lastUsedAt && Date.now() - key.lastUsedAt.getTime() < 60_000) return;
  await db('api_keys').where({ id: key.keyId }).update({ last_used_at: new Date() });
}

/** Live keys of one member, or of the whole tenant when `createdBy` is null (administrators). */
export async function listApiKeys(
  db: Knex,
  tenantId: string,
  createdBy: string | null,
): Promise<ApiKeyView[]> {
  const rows: ApiKeyRow[] = await db('api_keys')
    .select('id', 'created_by', 'name', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at')
    .where({ tenant_id: tenantId, ...(createdBy ? { created_by: createdBy } : {}) })
    .whereNull('revoked_at')
    .orderBy('created_at', 'desc');
  return rows.map(toView);
}

/** Revokes a key of one member, or any key of the tenant when `createdBy` is null (administrators). */
export async function revokeApiKey(
  db: Knex,
  tenantId: string,
  createdBy: string | null,
  id: string,
): Promise<boolean> {
  const n = await db('api_keys')
    .where({ id, tenant_id: tenantId, ...(createdBy ? { created_by: createdBy } : {}) })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
  return n > 0;
}

/** Scopes as stored (a JSON column comes back parsed or as text, depending on the driver). */
export function parseScopes(value: string | string[]): string[] {
  return typeof value === 'string' ? (JSON.parse(value) as string[]) : value;
}

function toView(
  row: Pick<
    ApiKeyRow,
    'id' | 'created_by' | 'name' | 'prefix' | 'scopes' | 'created_at' | 'expires_at' | 'last_used_at'
  >,
): ApiKeyView {
  return {
    id: row.id,
    createdBy: row.created_by,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
