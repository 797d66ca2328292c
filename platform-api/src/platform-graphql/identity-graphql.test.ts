import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { generateInternalKeys, importInternalKey } from '@solar/common';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '../config.js';
import { createIdentity } from '../identity/create-identity.js';
import { startPlatformApi, type PlatformApi } from '../server.js';
import { answerPermissions } from '../tenant-roles/roles-fixture.js';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { createTestPlatformDb, type TestPlatformDb } from '../testing/platform-db.js';
import { createPlatformAdmin } from './platform-admins.js';
import { PLATFORM_GRAPHQL_PATH } from './platform-graphql.js';
import type { TenantDriver } from './tenant-driver.js';

/*
 * The platform GraphQL as app.ts mounts it (the whole platform-api, identity services wired), with
 * PLATFORM_ADMIN_MFA_REQUIRED on. Tenant roles come from the fake runtime answering `{ viewer { permissions } }`.
 */
const PASSWORD = 'orchid tractor umbrella 9';
const ADMIN_PASSWORD = 'violet-otter-marmalade-1987';
/** Signup is not what these tests are about: the driver is never called. */
const unusedDriver: TenantDriver = {
  apply: () => Promise.reject(new Error('not used here')),
  delete: () => Promise.reject(new Error('not used here')),
  get: () => Promise.reject(new Error('not used here')),
};

let platform: TestPlatformDb;
let api: PlatformApi;
let runtime: FakeRuntime;
const tenantId = randomBytes(6).toString('hex');
const host = 'acme.localhost';
const sessions: Record<string, string> = {};
const ids: Record<string, string> = {};

interface Answer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; fields?: Record<string, string[]> } }>;
}
async function gql<T>(
  query: string,
  variables: object = {},
  token?: string,
  onHost?: string,
): Promise<Answer<T>> {
  const res = await request(`${api.url}${PLATFORM_GRAPHQL_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(onHost ? { host: onHost } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.body.json()) as Answer<T>;
}
const codeOf = <T>(a: Answer<T>) => a.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  platform = await createTestPlatformDb();
  const keys = await generateInternalKeys();
  const config = loadPlatformConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATABASE_URL: platform.url,
    PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    REDIS_KEY_PREFIX: `test:${platform.name}:`,
    PLATFORM_ADMIN_MFA_REQUIRED: 'true',
    LOCKOUT_ACCOUNT_THRESHOLD: '3',
    LOCKOUT_IP_THRESHOLD: '100',
  });
  api = await startPlatformApi(config, { registryTtlMs: 0, tenantDriver: unusedDriver });
  runtime = await startFakeRuntime(await importInternalKey(keys.publicJwk));
  await platform.db('tenants').insert({
    id: tenantId,
    slug: 'acme',
    display_name: 'Acme Solar',
    phase: 'Ready',
    endpoint: runtime.endpoint,
  });
  for (const name of ['olga', 'ada', 'sam']) {
    ids[name] = (
      await createIdentity(platform.db, {
        tenantId,
        email: `${name}@acme.test`,
        displayName: name,
        password: PASSWORD,
      })
    ).id;
    const res = await request(`${api.url}/auth/sign-in`, {
      method: 'POST',
      headers: { host, 'content-type': 'application/json', 'x-session-mode': 'bearer' },
      body: JSON.stringify({ email: `${name}@acme.test`, password: PASSWORD }),
    });
    sessions[name] = ((await res.body.json()) as { token: string }).token;
  }
  await platform.db('tenants').where({ id: tenantId }).update({ owner_identity_id: ids.olga });
  answerPermissions(runtime, new Map([[ids.ada!, ['access:manage:all']]]));
  await createPlatformAdmin(platform.db, {
    email: 'ops@solar.test',
    displayName: 'Ops',
    password: ADMIN_PASSWORD,
  });
  await createPlatformAdmin(platform.db, {
    email: 'eve@solar.test',
    displayName: 'Eve',
    password: ADMIN_PASSWORD,
  });
});
afterAll(async () => {
  await runtime?.close();
  await api?.close();
  await platform?.drop();
});

const SETTINGS = `{ mfaRequired sso { issuer clientId enabled } }`;

describe('workspace administrators manage identity settings', () => {
  it('an administrator (not only the owner) requires MFA and sets up SSO; plain members cannot', async () => {
    const byMember = await gql(
      `mutation { setMfaRequired(required: true) ${SETTINGS} }`,
      {},
      sessions.sam,
      host,
    );
    expect(codeOf(byMember)).toBe('FORBIDDEN');

    const byAdmin = await gql<{ setMfaRequired: { mfaRequired: boolean } }>(
      `mutation { setMfaRequired(required: true) ${SETTINGS} }`,
      {},
      sessions.ada,
      host,
    );
    expect(byAdmin.data?.setMfaRequired.mfaRequired).toBe(true);
    const event = await platform.db('security_events').where({ type: 'mfa_policy_changed' }).first();
    expect(event).toMatchObject({ tenant_id: tenantId, identity_id: ids.ada });

    const sso = await gql<{ setSsoSettings: { sso: { issuer: string; enabled: boolean } } }>(
      `mutation($i: SsoSettingsInput!) { setSsoSettings(input: $i) ${SETTINGS} }`,
      {
        i: {
          issuer: 'https://idp.acme.test',
          clientId: 'crm',
          clientSecret: 's3cret-value',
          allowedEmailDomains: ['acme.test'],
          defaultRole: 'sales_rep',
        },
      },
      sessions.ada,
      host,
    );
    expect(sso.data?.setSsoSettings.sso).toEqual({
      issuer: 'https://idp.acme.test',
      clientId: 'crm',
      enabled: true,
    });
    const bad = await gql(
      `mutation($i: SsoSettingsInput!) { setSsoSettings(input: $i) ${SETTINGS} }`,
      { i: { issuer: 'nope', clientId: '', allowedEmailDomains: [], defaultRole: 'Sales Rep' } },
      sessions.ada,
      host,
    );
    expect(codeOf(bad)).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.errors![0]!.extensions!.fields!).sort()).toEqual(
      expect.arrayContaining(['allowedEmailDomains', 'clientId', 'defaultRole', 'issuer']),
    );
    const off = await gql<{ disableSso: { sso: { enabled: boolean } } }>(
      `mutation { disableSso ${SETTINGS} }`,
      {},
      sessions.ada,
      host,
    );
    expect(off.data?.disableSso.sso.enabled).toBe(false);
    expect(codeOf(await gql(`mutation { disableSso ${SETTINGS} }`, {}, sessions.sam, host))).toBe(
      'FORBIDDEN',
    );
  });

  it('plan changes stay with the owner', async () => {
    const byAdmin = await gql(
      `mutation { requestPlanChange(plan: "growth") { plan } }`,
      {},
      sessions.ada,
      host,
    );
    expect(codeOf(byAdmin)).toBe('FORBIDDEN');
    const byOwner = await gql<{ requestPlanChange: { plan: string } }>(
      `mutation { requestPlanChange(plan: "growth") { plan } }`,
      {},
      sessions.olga,
      host,
    );
    expect(byOwner.errors).toBeUndefined();
  });
});

describe('platform admins', () => {
  const SIGN_IN = `mutation($e: String!, $p: String!, $c: String) {
    adminSignIn(email: $e, password: $p, code: $c) { token expiresAt mfaEnrollmentRequired }
  }`;
  type SignIn = { adminSignIn: { token: string; mfaEnrollmentRequired: boolean } };

  it('must enrol TOTP before anything else when it is required, then sign in with a code', async () => {
    const first = await gql<SignIn>(SIGN_IN, { e: 'ops@solar.test', p: ADMIN_PASSWORD });
    expect(first.data?.adminSignIn.mfaEnrollmentRequired).toBe(true);
    const limited = first.data!.adminSignIn.token;
    expect(codeOf(await gql(`{ health { registryReachable } }`, {}, limited))).toBe(
      'MFA_ENROLLMENT_REQUIRED',
    );

    const enrol = await gql<{ adminMfaEnroll: { secret: string; otpauthUrl: string } }>(
      `mutation { adminMfaEnroll { secret otpauthUrl qrCodeDataUrl } }`,
      {},
      limited,
    );
    const secret = enrol.data!.adminMfaEnroll.secret;
    expect(enrol.data!.adminMfaEnroll.otpauthUrl).toContain('otpauth://totp/');
    const sealed = await platform.db('platform_admins').where({ email: 'ops@solar.test' }).first();
    expect(sealed.mfa_secret_sealed).not.toContain(secret);
    const wrong = await gql(`mutation { adminMfaActivate(code: "000000") }`, {}, limited);
    expect(codeOf(wrong)).toBe('INVALID_CODE');
    const now = Math.floor(Date.now() / 1000);
    const activated = await gql<{ adminMfaActivate: boolean }>(
      `mutation($c: String!) { adminMfaActivate(code: $c) }`,
      { c: await generate({ secret, epoch: now - 30 }) },
      limited,
    );
    expect(activated.data?.adminMfaActivate).toBe(true);
    expect(
      (await gql<{ health: object }>(`{ health { registryReachable } }`, {}, limited)).data?.health,
    ).toBeDefined();

    expect(codeOf(await gql(SIGN_IN, { e: 'ops@solar.test', p: ADMIN_PASSWORD }))).toBe('MFA_REQUIRED');
    expect(codeOf(await gql(SIGN_IN, { e: 'ops@solar.test', p: ADMIN_PASSWORD, c: '123456' }))).toBe(
      'INVALID_CODE',
    );
    const withCode = await gql<SignIn>(SIGN_IN, {
      e: 'ops@solar.test',
      p: ADMIN_PASSWORD,
      c: await generate({ secret, epoch: now }),
    });
    expect(withCode.data?.adminSignIn.mfaEnrollmentRequired).toBe(false);
    // the same code again is a replay
    const replay = await gql(SIGN_IN, {
      e: 'ops@solar.test',
      p: ADMIN_PASSWORD,
      c: await generate({ secret, epoch: now }),
    });
    expect(codeOf(replay)).toBe('INVALID_CODE');
    const events = await platform
      .db('security_events')
      .whereIn('type', ['admin_sign_in', 'admin_mfa_enrolled']);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['admin_sign_in', 'admin_mfa_enrolled']),
    );
  });

  it('back off after repeated wrong passwords, as tenant sign-in does, without checking the password', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++)
      codes.push(codeOf(await gql(SIGN_IN, { e: 'eve@solar.test', p: `wrong-${i}` })));
    expect(codes.slice(0, 3)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(codes[3]).toBe('TOO_MANY_ATTEMPTS');
    expect(codeOf(await gql(SIGN_IN, { e: 'eve@solar.test', p: ADMIN_PASSWORD }))).toBe('TOO_MANY_ATTEMPTS');
    const failures = await platform
      .db('security_events')
      .whereIn('type', ['admin_sign_in_failed', 'locked_out']);
    expect(failures.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(failures)).not.toContain('wrong-');
  });

  it('a tenant session is never an admin token', async () => {
    expect(codeOf(await gql(`{ health { registryReachable } }`, {}, sessions.olga))).toBe('UNAUTHENTICATED');
  });
});
