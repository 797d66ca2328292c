import { createConnection, type Connection } from 'mysql2/promise';
import { connectionFromUrl, createDb, ident, type Knex } from '@solar/common';
import type { DesiredTenant } from './desired.js';

/**
 * The MySQL/MariaDB side of a tenant: its schema, its user and that user's grants. Every function checks
 * the current state first and changes only what differs, so a converged tenant sees no writes at all.
 */

/** mysql2 error as knex rethrows it */
interface SqlError extends Error {
  code?: string;
  errno?: number;
}

/** Knex puts the bound SQL into error messages; a password must never reach status, logs or traces. */
export function redact(err: unknown, secret: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (!secret) return e;
  const clean = new Error(e.message.split(secret).join('[redacted]')) as SqlError;
  clean.name = e.name;
  clean.code = (e as SqlError).code;
  clean.errno = (e as SqlError).errno;
  return clean;
}

/** The tenant user's password-bearing statements, with their errors scrubbed. */
async function rawWithSecret(admin: Knex, sql: string, bindings: string[], secret: string): Promise<void> {
  try {
    await admin.raw(sql, bindings);
  } catch (err) {
    throw redact(err, secret);
  }
}

export async function ensureDatabase(admin: Knex, d: DesiredTenant): Promise<void> {
  const rows = await selectRows<{ charset: string }>(
    admin,
    'SELECT DEFAULT_CHARACTER_SET_NAME AS charset FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [d.schema],
  );
  if (rows.length > 0) return;
  // charset and collation are literal constants from desired(), not input
  await admin.raw(
    `CREATE DATABASE IF NOT EXISTS ${ident(d.schema)} CHARACTER SET ${d.charset} COLLATE ${d.collation}`,
  );
}

export type LoginOutcome = 'ok' | 'denied' | 'locked';

/** Tries a real login as the tenant user (a bare mysql2 connection: knex would log every refusal). */
export async function tryLogin(
  tenantDbUrl: string,
  user: string,
  password: string,
  schema: string | null,
): Promise<LoginOutcome> {
  const { host, port } = connectionFromUrl(tenantDbUrl);
  let conn: Connection | undefined;
  try {
    conn = await createConnection({ host, port, user, password, ...(schema ? { database: schema } : {}) });
    return 'ok';
  } catch (err) {
    const code = (err as SqlError).code;
    if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') return 'denied';
    if (code === 'ER_ACCOUNT_HAS_BEEN_LOCKED') return 'locked';
    throw redact(err, password);
  } finally {
    await conn?.end();
  }
}

/** A knex pool logged in as the tenant's own user, on its own schema. */
export function tenantConnection(
  tenantDbUrl: string,
  d: { user: string; schema: string | null },
  password: string,
  max = 5,
): Knex {
  return createDb({
    url: tenantDbUrl,
    user: d.user,
    password,
    database: d.schema,
    pool: { min: 0, max },
    label: d.schema ?? d.user,
  });
}

/**
 * The user exists, is unlocked, and its password is the stored one. Checked by logging in, so a password
 * that drifted (or a crash between CREATE USER and the store write of an older operator) gets repaired.
 */
export async function ensureUser(
  admin: Knex,
  tenantDbUrl: string,
  d: DesiredTenant,
  password: string,
): Promise<void> {
  const exists = await selectRows(admin, "SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [d.user]);
  if (exists.length === 0) {
    await rawWithSecret(
      admin,
      "CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?",
      [d.user, password],
      password,
    );
  }
  // Login needs at least one privilege on the schema; grants come next, so check against USAGE only.
  const outcome = await tryLogin(tenantDbUrl, d.user, password, null);
  if (outcome === 'denied') {
    await rawWithSecret(admin, "ALTER USER ?@'%' IDENTIFIED BY ?", [d.user, password], password);
  } else if (outcome === 'locked') {
    await admin.raw("ALTER USER ?@'%' ACCOUNT UNLOCK", [d.user]);
  }
}

/** `t\_abc` — in GRANT ... ON db.*, `_` is a wildcard; escaped, the grant names exactly one schema. */
export function grantSchemaPattern(schema: string): string {
  return ident(schema).replaceAll('_', '\\_');
}

interface PrivilegeRow {
  scope: 'global' | 'schema' | 'table' | 'column' | 'routine';
  schema: string | null;
  privilege: string;
  grantable: string;
}

/** Every privilege the user holds, from information_schema (root sees all grantees). */
export async function listPrivileges(admin: Knex, user: string): Promise<PrivilegeRow[]> {
  const grantee = `'${user}'@'%'`;
  const sql = `
    SELECT 'global' AS scope, NULL AS \`schema\`, PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable
      FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
    UNION ALL
    SELECT 'schema', TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE
      FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ?
    UNION ALL
    SELECT 'table', TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE
      FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ?
    UNION ALL
    SELECT 'column', TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE
      FROM information_schema.COLUMN_PRIVILEGES WHERE GRANTEE = ?
    UNION ALL
    SELECT 'routine', Db, Proc_priv, 'NO' FROM mysql.procs_priv WHERE User = ? AND Host = '%'`;
  return selectRows<PrivilegeRow>(admin, sql, [grantee, grantee, grantee, grantee, user]);
}

/**
 * Exactly the desired privileges on the tenant's schema and nothing else. Extra privileges anywhere
 * (someone granted by hand, GRANT OPTION, another schema) are revoked, then the desired set is granted.
 */
export async function ensureGrants(admin: Knex, d: DesiredTenant): Promise<void> {
  const pattern = grantSchemaPattern(d.schema).slice(1, -1); // as information_schema spells it
  const rows = await listPrivileges(admin, d.user);
  const wanted = new Set(d.privileges);
  const held = new Set<string>();
  let extra = false;
  for (const r of rows) {
    if (r.scope === 'global' && r.privilege === 'USAGE' && r.grantable === 'NO') continue;
    if (r.scope === 'schema' && r.schema === pattern && r.grantable === 'NO' && wanted.has(r.privilege)) {
      held.add(r.privilege);
      continue;
    }
    extra = true;
  }
  if (!extra && held.size === wanted.size) return;
  if (extra) await admin.raw("REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@'%'", [d.user]);
  await admin.raw(`GRANT ${d.privileges.join(', ')} ON ${grantSchemaPattern(d.schema)}.* TO ?@'%'`, [d.user]);
}

async function selectRows<T = Record<string, unknown>>(
  db: Knex,
  sql: string,
  bindings: readonly string[],
): Promise<T[]> {
  const [rows] = (await db.raw(sql, [...bindings])) as [T[], unknown];
  return rows;
}

/**
 * The user accepts exactly `passwords` (one, or two while a rotation is in its grace period). MariaDB keeps
 * two passwords as an authentication chain (`IDENTIFIED VIA … OR …`, 10.4+): connections opened with either
 * succeed, and connections already open are never touched. Re-running with the same list changes nothing
 * that a login could notice, so it is safe to repeat after a crash.
 */
export async function acceptPasswords(
  admin: Knex,
  user: string,
  passwords: readonly string[],
): Promise<void> {
  if (passwords.length === 0 || passwords.length > 2)
    throw new Error('a DB user accepts one or two passwords');
  const secret = passwords.join('\0');
  try {
    if (passwords.length === 1) {
      await admin.raw("ALTER USER ?@'%' IDENTIFIED BY ?", [user, passwords[0]!]);
      return;
    }
    if (!(await isMariaDb(admin)))
      throw new Error('credential rotation without downtime needs MariaDB 10.4+ (two passwords per user)');
    await admin.raw(
      "ALTER USER ?@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD(?) OR mysql_native_password USING PASSWORD(?)",
      [user, passwords[0]!, passwords[1]!],
    );
  } catch (err) {
    let clean = err;
    for (const p of secret.split('\0')) clean = redact(clean, p);
    throw clean;
  }
}

async function isMariaDb(admin: Knex): Promise<boolean> {
  const [[row]] = (await admin.raw('SELECT VERSION() AS v')) as [[{ v: string }], unknown];
  return /mariadb/i.test(row.v);
}

/** True when the user exists and is locked (SHOW CREATE USER says ACCOUNT LOCK on MariaDB and MySQL). */
async function isLocked(admin: Knex, user: string): Promise<boolean> {
  const [rows] = (await admin.raw("SHOW CREATE USER ?@'%'", [user])) as [
    Array<Record<string, string>>,
    unknown,
  ];
  return /ACCOUNT LOCK/i.test(Object.values(rows[0] ?? {})[0] ?? '');
}

async function userExists(admin: Knex, user: string): Promise<boolean> {
  return (
    (await selectRows(admin, "SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [user])).length > 0
  );
}

/**
 * Cuts the tenant user off while keeping its schema: every privilege revoked, the account locked (no new
 * logins) and its open sessions killed — schema-level revokes reach an open session only at its next USE, so
 * a runtime's pooled connections would otherwise keep working. Checks first; a cut-off user sees no writes.
 */
export async function revokeAccess(admin: Knex, user: string): Promise<void> {
  if (!(await userExists(admin, user))) return;
  const held = (await listPrivileges(admin, user)).filter(
    (r) => !(r.scope === 'global' && r.privilege === 'USAGE' && r.grantable === 'NO'),
  );
  if (held.length > 0) await admin.raw("REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@'%'", [user]);
  if (!(await isLocked(admin, user))) await admin.raw("ALTER USER ?@'%' ACCOUNT LOCK", [user]);
  await killSessions(admin, user);
}

/** Kills every open connection of `user` (ids come from the server, so the KILL takes a number only). */
export async function killSessions(admin: Knex, user: string): Promise<number> {
  const rows = await selectRows<{ id: number }>(
    admin,
    'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?',
    [user],
  );
  for (const { id } of rows) {
    await admin.raw('KILL CONNECTION ?', [Number(id)]).catch((err: { code?: string }) => {
      // it may have closed on its own between the listing and the kill
      if (err.code !== 'ER_NO_SUCH_THREAD') throw err;
    });
  }
  return rows.length;
}

/** Drops the tenant's schema and user; both are absent afterwards whatever state they were in. */
export async function dropTenant(admin: Knex, d: { schema: string; user: string }): Promise<void> {
  if (await userExists(admin, d.user)) {
    await admin.raw("ALTER USER ?@'%' ACCOUNT LOCK", [d.user]);
    await killSessions(admin, d.user);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [d.user]);
  }
  if (await schemaExists(admin, d.schema)) await admin.raw(`DROP DATABASE IF EXISTS ${ident(d.schema)}`);
}

/** Names of the base tables in a schema (what a snapshot must contain). */
export async function listTables(admin: Knex, schema: string): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(
    admin,
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [schema],
  );
  return rows.map((r) => r.name);
}

export async function schemaExists(admin: Knex, schema: string): Promise<boolean> {
  return (
    (await selectRows(admin, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [schema]))
      .length > 0
  );
}
