import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/platform-api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('every response', () => {
  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await h.call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123-def-456' } });
    expect(kept.headers['x-request-id']).toBe('abc-123-def-456');
    const replaced = await h.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const made = await h.call('GET', '/healthz');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries security headers', async () => {
    const res = await h.call('GET', '/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers unknown routes and wrong methods with the JSON error shape', async () => {
    const missing = await h.call('GET', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such route' } });
    const wrongMethod = await h.call('DELETE', '/auth/session', { host: 'localhost' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });
});
