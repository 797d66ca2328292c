import { createHash, randomBytes } from 'node:crypto';
import { open, seal, type Knex } from '@solar/common';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/**
 * TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1: what every authenticator app reads). The secret is
 * sealed under the platform key with the identity id as associated data, so a sealed value copied onto
 * another identity does not open. A code is accepted one step either side of now, and only once: the
 * accepted time step is recorded and anything at or before it is refused as a replay.
 */
export interface Enrolment {
  secret: string;
  otpauthUrl: string;
  /** data:image/svg+xml;base64,… */
  qrCodeDataUrl: string;
}

export async function newEnrolment(issuer: string, accountName: string): Promise<Enrolment> {
  const secret = generateSecret();
  const otpauthUrl = generateURI({ issuer, label: accountName, secret });
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    secret,
    otpauthUrl,
    qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}

export const sealMfaSecret = (secret: string, key: Buffer, identityId: string) =>
  seal(secret, key, identityId);
export const openMfaSecret = (sealed: string, key: Buffer, identityId: string) =>
  open(sealed, key, identityId);

/** The time step a valid code belongs to, or null (wrong, malformed, or at/before `afterStep`). */
export async function checkTotp(
  secret: string,
  code: string,
  afterStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epochTolerance: 30,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

/**
 * Records `step` as the identity's last accepted step, only if it is newer than the stored one. False
 * means another request accepted this or a later code first: the caller must treat the code as replayed.
 */
export async function claimTimeStep(
  db: Knex,
  identityId: string,
  step: number,
  table: 'identities' | 'platform_admins' = 'identities',
): Promise<boolean> {
  const n = await db(table)
    .where({ id: identityId })
    .andWhere((q) => q.whereNull('mfa_last_step').orWhere('mfa_last_step', '<', step))
    .update({ mfa_last_step: step });
  return n > 0;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes like `k7dm-3xq9-wr2p` (≈59 bits each), shown once; only their hashes are stored. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** High-entropy random codes need no slow hash; the identity id keeps equal codes of two people apart. */
export function hashRecoveryCode(identityId: string, code: string): Buffer {
  const normalised = code.toLowerCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(`${identityId}:${normalised}`).digest();
}

export async function replaceRecoveryCodes(db: Knex, identityId: string, codes: string[]): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('mfa_recovery_codes').where({ identity_id: identityId }).delete();
    await trx('mfa_recovery_codes').insert(
      codes.map((c) => ({ identity_id: identityId, code_hash: hashRecoveryCode(identityId, c) })),
    );
  });
}

/** Spends a recovery code; returns how many unused ones remain, or null when the code is not (or no longer) valid. */
export async function useRecoveryCode(db: Knex, identityId: string, code: string): Promise<number | null> {
  const n = await db('mfa_recovery_codes')
    .where({ identity_id: identityId, code_hash: hashRecoveryCode(identityId, code) })
    .whereNull('used_at')
    .update({ used_at: new Date() });
  if (n === 0) return null;
  const [row] = await db('mfa_recovery_codes')
    .where({ identity_id: identityId })
    .whereNull('used_at')
    .count<Array<{ n: number }>>({ n: '*' });
  return Number(row?.n ?? 0);
}
