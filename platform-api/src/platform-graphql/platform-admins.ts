import { randomUUID } from 'node:crypto';
import { AppError, Conflict, Unauthorized, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import { recordSecurityEvent, type EventOrigin } from '../audit/security-events.js';
import { InvalidCode } from '../mfa/mfa-routes.js';
import {
  checkTotp,
  claimTimeStep,
  newEnrolment,
  openMfaSecret,
  sealMfaSecret,
  type Enrolment,
} from '../mfa/totp.js';
import type { SignInThrottle } from '../security/sign-in-throttle.js';
import { emailSchema } from '../identity/identity.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../identity/password-hash.js';
import { assertPasswordAllowed } from '../identity/password-policy.js';

/** An operator of the SaaS. Lives in platform_admins, apart from every tenant's identities. */
export interface PlatformAdmin {
  id: string;
  email: string;
  displayName: string;
  /** TOTP is on: sign-in needs a code */
  mfaEnabled: boolean;
}

interface AdminRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  mfa_enabled_at?: Date | null;
}

const toAdmin = (r: AdminRow): PlatformAdmin => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  mfaEnabled: Boolean(r.mfa_enabled_at),
});

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

// ── sign-in protection and TOTP for platform admins ──────────────────────────────────────────────────────

/** What admin sign-in needs beyond the database: the same back-off as tenant sign-in, and TOTP settings. */
export interface AdminSecurity {
  throttle: SignInThrottle;
  /** PLATFORM_SECRET_KEY, parsed: seals admin TOTP secrets */
  secretKey: Buffer;
  /** PLATFORM_ADMIN_MFA_REQUIRED: admins without TOTP may only enrol */
  mfaRequired: boolean;
  /** issuer shown in authenticator apps */
  mfaIssuer: string;
}

/** The admin has TOTP on and sent no code: ask for it (nothing counted as a failure). */
export class AdminMfaRequired extends AppError {
  readonly status = 401;
  readonly code = 'MFA_REQUIRED';
  constructor() {
    super('Enter the code from your authenticator app');
  }
}

/** Failed admin sign-ins share the tenant back-off counters under this pseudo-tenant. */
const ADMIN_THROTTLE_SCOPE = 'platform-admins';
/** The admin id is the associated data, with a prefix no tenant identity's sealing uses. */
const mfaAad = (adminId: string) => `platform-admin:${adminId}`;

interface AdminMfaRow {
  id: string;
  email: string;
  mfa_secret_sealed: string | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: number | string | null;
}

/**
 * Admin sign-in with back-off (per email and per IP, exactly as tenant sign-in: counted before the password
 * is checked) and, when the admin has TOTP on, the current code in the same call. Every outcome is audited.
 */
export async function signInAdmin(
  db: Knex,
  security: AdminSecurity,
  input: { email: string; password: string; code?: string | null },
  origin: EventOrigin,
): Promise<{ admin: PlatformAdmin; mfaEnrollmentRequired: boolean }> {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const ticket = await security.throttle.begin({
    tenantId: ADMIN_THROTTLE_SCOPE,
    email,
    ip: origin.ip ?? '',
  });
  const fail = async (adminId: string | null, reason: string) => {
    const lockouts = await security.throttle.failed(ticket);
    await recordSecurityEvent(
      db,
      { type: 'admin_sign_in_failed', identityId: adminId, details: { reason } },
      origin,
    );
    for (const lockout of lockouts)
      await recordSecurityEvent(
        db,
        { type: 'locked_out', identityId: adminId, details: { ...lockout, admin: true } },
        origin,
      );
  };

  let admin: PlatformAdmin;
  try {
    admin = await authenticateAdmin(db, input.email, input.password);
  } catch (err) {
    if (err instanceof Unauthorized) await fail(null, 'invalid_credentials');
    else await security.throttle.passed(ticket);
    throw err;
  }
  if (admin.mfaEnabled) {
    if (!input.code) {
      await security.throttle.passed(ticket);
      throw new AdminMfaRequired();
    }
    if (!(await acceptAdminTotp(db, security.secretKey, admin.id, input.code))) {
      await fail(admin.id, 'invalid_totp');
      throw new InvalidCode();
    }
  }
  await security.throttle.succeeded(ticket);
  await recordSecurityEvent(
    db,
    { type: 'admin_sign_in', identityId: admin.id, details: { mfa: admin.mfaEnabled } },
    origin,
  );
  return { admin, mfaEnrollmentRequired: security.mfaRequired && !admin.mfaEnabled };
}

async function acceptAdminTotp(db: Knex, secretKey: Buffer, adminId: string, code: string): Promise<boolean> {
  const row = await db('platform_admins').first<AdminMfaRow | undefined>().where({ id: adminId });
  if (!row?.mfa_secret_sealed) return false;
  const secret = openMfaSecret(row.mfa_secret_sealed, secretKey, mfaAad(adminId));
  const last = row.mfa_last_step === null ? null : Number(row.mfa_last_step);
  const step = await checkTotp(secret, code.trim(), last);
  return step !== null && (await claimTimeStep(db, adminId, step, 'platform_admins'));
}

/** Starts (or restarts) TOTP enrolment: a new pending secret; 409 once TOTP is on. */
export async function enrollAdminMfa(
  db: Knex,
  security: AdminSecurity,
  admin: PlatformAdmin,
): Promise<Enrolment> {
  if (admin.mfaEnabled) throw new Conflict('Two-factor authentication is already on');
  const enrolment = await newEnrolment(security.mfaIssuer, `admin:${admin.email}`);
  await db('platform_admins')
    .where({ id: admin.id })
    .update({
      mfa_secret_sealed: sealMfaSecret(enrolment.secret, security.secretKey, mfaAad(admin.id)),
      mfa_last_step: null,
    });
  return enrolment;
}

/** Finishes enrolment with a current code; from then on sign-in needs a code. */
export async function activateAdminMfa(
  db: Knex,
  security: AdminSecurity,
  admin: PlatformAdmin,
  code: string,
  origin: EventOrigin,
): Promise<void> {
  if (admin.mfaEnabled) throw new Conflict('Two-factor authentication is already on');
  if (!/^\d{6}$/.test(code.trim()))
    throw new ValidationFailed({ code: ['must be the 6-digit code from your authenticator app'] });
  if (!(await acceptAdminTotp(db, security.secretKey, admin.id, code))) throw new InvalidCode();
  await db('platform_admins')
    .where({ id: admin.id })
    .update({ mfa_enabled_at: db.fn.now(3) });
  await recordSecurityEvent(db, { type: 'admin_mfa_enrolled', identityId: admin.id }, origin);
}
