import { generateInternalKeys, importInternalKey, INTERNAL_AUDIENCE, INTERNAL_ISSUER } from '@solar/common';
import type { TestTenant } from '@solar/operator/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

const CREATE =
  'mutation { createLead(input: { firstName: "Eve", lastName: "Intruder", source: OTHER }) { lead { id } } }';

let rt: TestRuntime;
let tenant: TestTenant;

beforeAll(async () => {
  rt = await startTestRuntime();
  tenant = await rt.provisionTenant();
});
afterAll(async () => {
  await rt?.close();
});

/** A token exactly like platform-api's, with one thing changed. */
async function craft(
  change: { key?: CryptoKey; audience?: string; issuer?: string; expiresAt?: number; issuedAt?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: tenant.id, tslug: tenant.slug, sid: 's1', scopes: ['*'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer(change.issuer ?? INTERNAL_ISSUER)
    .setAudience(change.audience ?? INTERNAL_AUDIENCE)
    .setSubject('0190a000-0000-7000-8000-000000000002')
    .setIssuedAt(change.issuedAt ?? now)
    .setExpirationTime(change.expiresAt ?? now + 60)
    .sign(change.key ?? rt.privateKey);
}

describe('authentication', () => {
  it('accepts a valid internal token', async () => {
    const res = await rt.graphql(await craft(), '{ viewer { tenantId } }');
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.tenantId).toBe(tenant.id);
  });

  it('a token accepted before is still refused once it expires', async () => {
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await craft({ expiresAt: now + 2 });
    expect((await rt.graphql(shortLived, '{ viewer { tenantId } }')).status).toBe(200);
    expect((await rt.graphql(shortLived, '{ viewer { tenantId } }')).status).toBe(200);
    await new Promise((r) => setTimeout(r, (now + 2) * 1000 - Date.now() + 100));
    expect((await rt.graphql(shortLived, '{ viewer { tenantId } }')).status).toBe(401);
  });

  it('refuses requests without a usable token with 401 and runs nothing', async () => {
    const otherKeys = await generateInternalKeys();
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string | null> = {
      'no token': null,
      'not a JWT': 'hello',
      expired: await craft({ issuedAt: now - 120, expiresAt: now - 60 }),
      'signed by another key': await craft({ key: await importInternalKey(otherKeys.privateJwk) }),
      'wrong audience': await craft({ audience: 'solar-crm/platform-api' }),
      'wrong issuer': await craft({ issuer: 'someone-else' }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await rt.graphql(token, CREATE);
      expect(res.status, name).toBe(401);
      expect(res.body, name).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
    // a forged signature: a valid token's payload under someone else's signature bytes
    const [h, p] = (await craft()).split('.');
    const [, , s] = (await craft({ key: await importInternalKey(otherKeys.privateJwk) })).split('.');
    expect((await rt.graphql(`${h}.${p}.${s}`, CREATE)).status).toBe(401);

    const rows = await tenant.db('leads').count({ n: '*' }).first();
    expect(Number((rows as { n: number }).n)).toBe(0);
  });

  it('needs no token for health checks, and a token for everything else', async () => {
    expect((await fetch(`${rt.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${rt.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${rt.url}/anything`)).status).toBe(401);
    const authed = await fetch(`${rt.url}/anything`, {
      headers: { authorization: `Bearer ${await craft()}` },
    });
    expect(authed.status).toBe(404);
  });

  it('echoes the caller’s request id, or assigns one', async () => {
    const given = await fetch(`${rt.url}/healthz`, { headers: { 'x-request-id': 'req-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    const assigned = await fetch(`${rt.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith junk' } });
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
