import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FILL_TOKEN_MAX_AGE_MS, fillTokenSigner } from './fill-token.js';

const signer = fillTokenSigner(randomBytes(32));
const FORM = '0190c100-0000-7000-8000-00000000f001';
const T0 = Date.UTC(2026, 11, 3, 10);

describe('the signed start time of a web form', () => {
  it('lets a person who took longer than the minimum through', () => {
    expect(signer.check(FORM, signer.issue(FORM, T0), 3, T0 + 8_000)).toEqual({ ok: true });
  });

  it('refuses a post faster than the minimum fill time', () => {
    expect(signer.check(FORM, signer.issue(FORM, T0), 3, T0 + 1_000)).toEqual({
      ok: false,
      reason: 'too_fast',
    });
  });

  it('refuses a day-old page, a token for another form, another install’s token and a made-up start time', () => {
    expect(signer.check(FORM, signer.issue(FORM, T0), 3, T0 + FILL_TOKEN_MAX_AGE_MS + 1)).toEqual({
      ok: false,
      reason: 'expired',
    });
    const other = '0190c100-0000-7000-8000-00000000f002';
    expect(signer.check(other, signer.issue(FORM, T0), 3, T0 + 8_000).ok).toBe(false);
    expect(signer.check(FORM, fillTokenSigner(randomBytes(32)).issue(FORM, T0), 3, T0 + 8_000).ok).toBe(
      false,
    );
    const [, mac] = signer.issue(FORM, T0).split('.');
    expect(signer.check(FORM, `${T0 - 60_000}.${mac}`, 3, T0 + 8_000)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(signer.check(FORM, undefined, 3, T0)).toEqual({ ok: false, reason: 'invalid' });
  });
});
