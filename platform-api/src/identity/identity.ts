import { z } from 'zod';

/** A staff member of one tenant who signs in to the platform. */
export interface Identity {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
}

/** Emails are compared lower-cased and trimmed everywhere, so sign-in and seeding agree. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));

export interface IdentityRow {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  status: 'active' | 'disabled';
  /** sealed TOTP secret; set from enrolment on, active once mfa_enabled_at is set */
  mfa_secret_sealed?: string | null;
  mfa_enabled_at?: Date | null;
  /** last accepted TOTP time step (replay guard); bigint comes back as number */
  mfa_last_step?: number | string | null;
}

export function toIdentity(row: IdentityRow): Identity {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
  };
}
