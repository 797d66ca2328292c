import { describe, expect, it } from 'vitest';
import { isCrossSiteForm, isPlainHttp } from './request-guard.js';

const form = (headers: Record<string, string>) =>
  new Headers({ 'content-type': 'application/x-www-form-urlencoded', ...headers });

describe('cross-site form submissions', () => {
  it('accepts a form posted from a page of the same host, whatever the scheme', () => {
    expect(
      isCrossSiteForm('POST', form({ origin: 'http://acme.localhost:3000' }), 'acme.localhost:3000'),
    ).toBe(false);
    expect(isCrossSiteForm('POST', form({ origin: 'https://acme.solarcrm.io' }), 'acme.solarcrm.io')).toBe(
      false,
    );
  });

  it('refuses a form posted from another site or another workspace', () => {
    expect(isCrossSiteForm('POST', form({ origin: 'https://evil.example' }), 'acme.solarcrm.io')).toBe(true);
    expect(isCrossSiteForm('POST', form({ origin: 'https://beta.solarcrm.io' }), 'acme.solarcrm.io')).toBe(
      true,
    );
    expect(isCrossSiteForm('POST', form({ origin: 'garbage' }), 'acme.solarcrm.io')).toBe(true);
    expect(isCrossSiteForm('POST', form({ 'sec-fetch-site': 'cross-site' }), 'acme.solarcrm.io')).toBe(true);
  });

  it('leaves reads and JSON requests (which need CORS preflight) alone', () => {
    expect(isCrossSiteForm('GET', form({ origin: 'https://evil.example' }), 'acme.solarcrm.io')).toBe(false);
    const json = new Headers({ 'content-type': 'application/json', origin: 'https://evil.example' });
    expect(isCrossSiteForm('POST', json, 'acme.solarcrm.io')).toBe(false);
  });

  it('accepts a form without Origin only when Fetch Metadata does not say cross-site', () => {
    expect(isCrossSiteForm('POST', form({}), 'acme.solarcrm.io')).toBe(false);
    expect(isCrossSiteForm('POST', form({ 'sec-fetch-site': 'same-origin' }), 'acme.solarcrm.io')).toBe(
      false,
    );
  });
});

describe('plain http detection', () => {
  it('is plain http only on an unencrypted socket with no proxy configuration', () => {
    expect(isPlainHttp({}, false)).toBe(true);
    expect(isPlainHttp({ PROTOCOL_HEADER: 'x-forwarded-proto' }, false)).toBe(false);
    expect(isPlainHttp({ ORIGIN: 'https://app.example' }, false)).toBe(false);
    expect(isPlainHttp({}, undefined)).toBe(false);
  });
});
