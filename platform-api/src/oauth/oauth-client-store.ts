import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Knex } from '@solar/common';
import { parseScopes } from '../api-keys/api-key-store.js';

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const CLIENT_ID_PATTERN = /^oc_[A-Za-z0-9]{24}$/;

/**
 * The secret is 32 random bytes (256 bits), so sha256 is enough: nobody can guess or brute-force a
 * preimage of such a secret, slow or fast hash alike. argon2id protects low-entropy human passwords; here
 * it would only turn the public token endpoint into a cheap way to burn our CPU.
 */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest();

export interface OAuthClientView {
  /** row id (used in the management routes) */
  id: string;
  /** public client identifier, sent as the Basic user name or `client_id` */
  clientId: string;
  name: string;
  scopes: string[];
  /** the member its tokens act as */
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** A live client of one tenant, as the token endpoint and token check see it. */
export interface OAuthClient {
  id: string;
  clientId: string;
  tenantId: string;
  createdBy: string;
  scopes: string[];
  lastUsedAt: Date | null;
}

interface ClientRow {
  id: string;
  tenant_id: string;
  created_by: string;
  client_id: string;
  name: string;
  secret_hash: Buffer;
  scopes: string | string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

export async function createOAuthClient(
  db: Knex,
  input: { tenantId: string; createdBy: string; name: string; scopes: string[]; expiresAt: Date | null },
): Promise<{ clientSecret: string; view: OAuthClientView }> {
  const clientId = `oc_${[...randomBytes(24)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const row = {
    id: randomUUID(),
    tenant_id: input.tenantId,
    created_by: input.createdBy,
    client_id: clientId,
    name: input.name,
    secret_hash: hashSecret(clientSecret),
    scopes: JSON.stringify(input.scopes),
    created_at: new Date(),
    expires_at: input.expiresAt,
    last_used_at: null,
  };
  await db('oauth_clients').insert(row);
  return { clientSecret, view: toView({ ...row, scopes: input.scopes }) };
}

/** Live: not revoked, not expired, and its creator still an active member. */
function live(db: Knex, tenantId: string) {
  return db({ c: 'oauth_clients' })
    .join({ i: 'identities' }, 'i.id', 'c.created_by')
    .where('c.tenant_id', tenantId)
    .andWhere('i.status', 'active')
    .whereNull('c.revoked_at')
    .andWhere((q) => q.whereNull('c.expires_at').orWhere('c.expires_at', '>', new Date()));
}

const CLIENT_COLUMNS = ['c.id', 'c.client_id', 'c.tenant_id', 'c.created_by', 'c.scopes', 'c.last_used_at'];
const toClient = (r: ClientRow): OAuthClient => ({
  id: r.id,
  clientId: r.client_id,
  tenantId: r.tenant_id,
  createdBy: r.created_by,
  scopes: parseScopes(r.scopes),
  lastUsedAt: r.last_used_at,
});

/** The live client of `tenantId` with this id and secret; null for anything else (one answer for all). */
export async function authenticateClient(
  db: Knex,
  tenantId: string,
  clientId: string,
  secret: string,
): Promise<OAuthClient | null> {
  if (!CLIENT_ID_PATTERN.test(clientId)) return null;
  const row = (await live(db, tenantId)
    .first(...CLIENT_COLUMNS, 'c.secret_hash')
    .where('c.client_id', clientId)) as ClientRow | undefined;
  const presented = hashSecret(secret);
  if (!row || !timingSafeEqual(row.secret_hash, presented)) return null;
  return toClient(row);
}

/** For each use of a token: the client must still be live (revoking it ends its tokens at once). */
export async function findLiveClient(db: Knex, tenantId: string, id: string): Promise<OAuthClient | null> {
  const row = (await live(db, tenantId)
    .first(...CLIENT_COLUMNS)
    .where('c.id', id)) as ClientRow | undefined;
  return row ? toClient(row) : null;
}

/** last_used_at, written at most once a minute per client. */
export async function markClientUsed(db: Knex, client: OAuthClient): Promise<void> {
  if (client.lastUsedAt && Date.now() - client.lastUsedAt.getTime() < 60_000) return;
  await db('oauth_clients').where({ id: client.id }).update({ last_used_at: new Date() });
}

export async function listOAuthClients(db: Knex, tenantId: string): Promise<OAuthClientView[]> {
  const rows: ClientRow[] = await db('oauth_clients')
    .select('id', 'client_id', 'created_by', 'name', 'scopes', 'created_at', 'expires_at', 'last_used_at')
    .where({ tenant_id: tenantId })
    .whereNull('revoked_at')
    .orderBy('created_at', 'desc');
  return rows.map(toView);
}

export async function revokeOAuthClient(db: Knex, tenantId: string, id: string): Promise<boolean> {
  const n = await db('oauth_clients')
    .where({ id, tenant_id: tenantId })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
  return n > 0;
}

function toView(
  row: Pick<
    ClientRow,
    'id' | 'client_id' | 'created_by' | 'name' | 'scopes' | 'created_at' | 'expires_at' | 'last_used_at'
  >,
): OAuthClientView {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
