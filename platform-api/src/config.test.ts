import { ConfigError } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig } from './config.js';

const required = {
  PLATFORM_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
  INTERNAL_TOKEN_PRIVATE_KEY: '{"kty":"OKP","crv":"Ed25519","d":"x","x":"y"}',
};

describe('platform-api config', () => {
  it('has local defaults', () => {
    expect(loadPlatformConfig(required)).toMatchObject({
      PORT: 4000,
      BASE_DOMAIN: 'localhost',
      SESSION_TTL_HOURS: 12,
      COOKIE_SECURE: false,
      MAX_BODY_BYTES: 1024 * 1024,
      UPSTREAM_TIMEOUT_MS: 15_000,
      TRUST_PROXY: false,
      ACCESS_TOKEN_TTL_SECONDS: 600,
      LOCKOUT_ACCOUNT_THRESHOLD: 5,
      TRUSTED_ORIGINS: [],
    });
  });

  it('reads TRUSTED_ORIGINS as a normalised list', () => {
    expect(
      loadPlatformConfig({
        ...required,
        TRUSTED_ORIGINS: ' https://App.Example.test/ , http://localhost:3000',
      }).TRUSTED_ORIGINS,
    ).toEqual(['https://app.example.test', 'http://localhost:3000']);
  });

  it('makes cookies Secure by default in production, and reads "false" as false', () => {
    expect(loadPlatformConfig({ ...required, NODE_ENV: 'production' }).COOKIE_SECURE).toBe(true);
    expect(
      loadPlatformConfig({ ...required, NODE_ENV: 'production', COOKIE_SECURE: 'false' }).COOKIE_SECURE,
    ).toBe(false);
    expect(loadPlatformConfig({ ...required, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it('names every missing or malformed secret at once', () => {
    expect(() => loadPlatformConfig({ PLATFORM_SECRET_KEY: 'c2hvcnQ=' })).toThrow(ConfigError);
    try {
      loadPlatformConfig({ PLATFORM_SECRET_KEY: 'c2hvcnQ=' });
    } catch (err) {
      const text = (err as ConfigError).issues.join('\n');
      expect(text).toContain('PLATFORM_SECRET_KEY');
      expect(text).toContain('INTERNAL_TOKEN_PRIVATE_KEY');
    }
  });
});
