import { describe, expect, it } from 'vitest';
import { mfaStatusFromEvents } from './mfa-status.js';
import { readSecondFactor } from './one-time-code.js';
import { ssoErrorMessage } from './sso-errors.js';

describe('second factor typed on the sign-in page', () => {
  it('accepts an authenticator code typed with a space or dash, as the app shows it', () => {
    expect(readSecondFactor('totp', ' 123 456 ')).toEqual({ ok: true, value: { code: '123456' } });
    expect(readSecondFactor('totp', '123-456')).toEqual({ ok: true, value: { code: '123456' } });
  });

  it('says what is wrong with an empty, short or non-numeric code, on the code field', () => {
    expect(readSecondFactor('totp', '')).toMatchObject({ ok: false, field: 'code', message: /6-digit/ });
    expect(readSecondFactor('totp', '12345')).toMatchObject({
      ok: false,
      field: 'code',
      message: /6 digits/,
    });
    expect(readSecondFactor('totp', '12a456')).toMatchObject({ ok: false, field: 'code' });
  });

  it('sends a recovery code in lower case without surrounding spaces', () => {
    expect(readSecondFactor('recovery', '  K7DM-3XQ9-WR2P ')).toEqual({
      ok: true,
      value: { recoveryCode: 'k7dm-3xq9-wr2p' },
    });
    expect(readSecondFactor('recovery', ' ')).toMatchObject({ ok: false, field: 'recoveryCode' });
    expect(readSecondFactor('recovery', 'x'.repeat(41))).toMatchObject({ ok: false, field: 'recoveryCode' });
  });
});

describe('SSO errors on /sign-in?error=', () => {
  it('explains every code platform-api sends in words a member can act on', () => {
    for (const code of [
      'sso_unavailable',
      'sso_state_invalid',
      'sso_provider_denied',
      'sso_failed',
      'sso_email_unverified',
      'sso_domain_not_allowed',
      'sso_account_disabled',
      'sso_account_conflict',
    ]) {
      const message = ssoErrorMessage(code);
      expect(message, code).toBeTruthy();
      expect(message, code).not.toContain('sso_');
    }
    expect(ssoErrorMessage('sso_unavailable')).toMatch(/not set up/);
  });

  it('gives a general message for an SSO code it does not know, and nothing for other values', () => {
    expect(ssoErrorMessage('sso_new_reason')).toMatch(/single sign-on/);
    expect(ssoErrorMessage('<script>')).toBeNull();
    expect(ssoErrorMessage(null)).toBeNull();
  });
});

describe('whether two-factor authentication is on, from my security events', () => {
  it('follows the latest of enrolled / disabled (events come newest first)', () => {
    const events = [{ type: 'sign_in' }, { type: 'mfa_disabled' }, { type: 'mfa_enrolled' }];
    expect(mfaStatusFromEvents(events, true)).toBe(false);
    expect(mfaStatusFromEvents([{ type: 'mfa_enrolled' }, { type: 'mfa_disabled' }], false)).toBe(true);
  });

  it('is off when the whole history has no enrolment, and unknown when older events were not read', () => {
    expect(mfaStatusFromEvents([{ type: 'sign_in' }], true)).toBe(false);
    expect(mfaStatusFromEvents([{ type: 'sign_in' }], false)).toBe('unknown');
  });
});
