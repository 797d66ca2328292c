import { randomUUID } from 'node:crypto';
import { Unauthorized, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import { emailSchema } from '../identity/identity.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../identity/password-hash.js';
import { assertPasswordAllowed } from '../identity/password-policy.js';

/** An operator of the SaaS. Lives in platform_admins, apart from every tenant's identities. */
export interface PlatformAdmin {
  id: string;
  email: string;
  displayName: string;
}

interface AdminRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  status: 'active' | 'disabled';
}

const toAdmin = (r: AdminRow): PlatformAdmin => ({ id: r.id, email: r.email, displayName: r.display_name });

const createSchema = z.object({
  email: emailSchema,
  displayName: z.string().trim().min(1).max(200),
  password: z.string().max(1024),
});

/** Creates a platform admin (seeding / ops script); the password must pass the password policy. */
export async function createPlatformAdmin(
  db: Knex,
  input: z.input<typeof createSchema>,
): Promise<PlatformAdmin> {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { email, displayName, password } = parsed.data;
  await assertPasswordAllowed(password, { email });
  const row = {
    id: randomUUID(),
    email,
    display_name: displayName,
    password_hash: await hashPassword(password),
  };
  await db('platform_admins').insert(row);
  return toAdmin({ ...row, status: 'active' });
}

/** The active admin with this email and password; one generic error otherwise (no account probing). */
export async function authenticateAdmin(db: Knex, email: string, password: string): Promise<PlatformAdmin> {
  const normalized = emailSchema.safeParse(email);
  const row = normalized.success
    ? await db('platform_admins').first<AdminRow | undefined>().where({ email: normalized.data })
    : undefined;
  const ok =
    row && row.status === 'active'
      ? await verifyPassword(row.password_hash, password)
      : await verifyAgainstDummy(password);
  if (!row || !ok) throw new Unauthorized('Wrong email or password');
  await db('platform_admins')
    .where({ id: row.id })
    .update({ last_sign_in_at: db.fn.now(3) });
  return toAdmin(row);
}

export async function findActiveAdmin(db: Knex, id: string): Promise<PlatformAdmin | null> {
  const row = await db('platform_admins').first<AdminRow | undefined>().where({ id, status: 'active' });
  return row ? toAdmin(row) : null;
}
