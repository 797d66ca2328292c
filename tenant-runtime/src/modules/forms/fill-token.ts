import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/*
 * The moment the embed script fetched a form, signed, so a submission can prove it was not posted faster
 * than a person types (bots post at once) and cannot simply claim an old start time. The key is derived from
 * the platform secret for this purpose alone.
 */

/** A started token older than this is refused (the visitor reloads the page). */
export const FILL_TOKEN_MAX_AGE_MS = 24 * 3600_000;

export type FillCheck = { ok: true } | { ok: false; reason: 'invalid' | 'too_fast' | 'expired' };

export function fillTokenSigner(platformSecretKey: Buffer) {
  const key = Buffer.from(hkdfSync('sha256', platformSecretKey, 'solar-crm', 'lead-form-fill-token', 32));
  const mac = (formId: string, at: number) =>
    createHmac('sha256', key).update(`${formId}.${at}`).digest('base64url');
  return {
    issue(formId: string, now = Date.now()): string {
      return `${now}.${mac(formId, now)}`;
    },
    check(formId: string, token: unknown, minFillSeconds: number, now = Date.now()): FillCheck {
      const match = typeof token === 'string' ? /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
      if (!match) return { ok: false, reason: 'invalid' };
      const at = Number(match[1]);
      const given = Buffer.from(match[2]!);
      const expected = Buffer.from(mac(formId, at));
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'invalid' };
      if (now - at > FILL_TOKEN_MAX_AGE_MS || at > now + 60_000) return { ok: false, reason: 'expired' };
      if (now - at < minFillSeconds * 1000) return { ok: false, reason: 'too_fast' };
      return { ok: true };
    },
  };
}
export type FillTokenSigner = ReturnType<typeof fillTokenSigner>;
