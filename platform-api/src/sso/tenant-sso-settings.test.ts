import { randomBytes } from 'node:crypto';
import { NotFound, ValidationFailed } from '@solar/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSso } from '../../migrations/20261124_030_tenant_sso.js';
import { createTestPlatformDb, type TestPlatformDb } from '../testing/platform-db.js';
import {
  disableTenantSso,
  getTenantSso,
  loadTenantSsoClient,
  setTenantSso,
  type SsoSettingsDeps,
  type TenantSsoInput,
} from './tenant-sso-settings.js';

let platform: TestPlatformDb;
let prod: SsoSettingsDeps;
let local: SsoSettingsDeps;
const ACME = 'aaaaaaaaaaa1';
const BOLT = 'bbbbbbbbbbb2';
const SECRET = 'the-acme-client-secret-4b1d';

const input = (over: Partial<TenantSsoInput> = {}): TenantSsoInput => ({
  issuer: 'https://login.acme-solar.test',
  clientId: 'crm',
  clientSecret: SECRET,
  allowedEmailDomains: ['acme-solar.test'],
  defaultRole: 'sales_rep',
  ...over,
});

async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationFailed);
  return (err as ValidationFailed).fields;
}

beforeAll(async () => {
  platform = await createTestPlatformDb();
  if (!(await platform.db.schema.hasTable('tenant_sso'))) await tenantSso.up(platform.db);
  await platform.db('tenants').insert([
    { id: ACME, slug: 'acme', display_name: 'Acme', phase: 'Ready' },
    { id: BOLT, slug: 'bolt', display_name: 'Bolt', phase: 'Ready' },
  ]);
  const secretKey = randomBytes(32);
  prod = { db: platform.db, secretKey, allowInsecureIssuer: false };
  local = { ...prod, allowInsecureIssuer: true };
});
afterAll(() => platform?.drop());

describe('tenant SSO settings', () => {
  it('stores the settings and shows them back without the secret, which is sealed at rest', async () => {
    const view = await setTenantSso(
      prod,
      ACME,
      input({ allowedEmailDomains: ['Acme-Solar.test', 'acme-solar.test'] }),
    );
    expect(view).toMatchObject({
      tenantId: ACME,
      issuer: 'https://login.acme-solar.test',
      clientId: 'crm',
      clientSecretSet: true,
      allowedEmailDomains: ['acme-solar.test'],
      defaultRole: 'sales_rep',
      enabled: true,
    });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(await getTenantSso(platform.db, ACME))).not.toContain(SECRET);
    const row = await platform.db('tenant_sso').first().where({ tenant_id: ACME });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect((await loadTenantSsoClient(platform.db, prod.secretKey, ACME))?.clientSecret).toBe(SECRET);
  });

  it('keeps the secret when it is left out for the same provider and client, and demands it for a new one', async () => {
    await setTenantSso(prod, ACME, input({ clientSecret: undefined, defaultRole: 'field_tech' }));
    expect(await loadTenantSsoClient(platform.db, prod.secretKey, ACME)).toMatchObject({
      clientSecret: SECRET,
      defaultRole: 'field_tech',
    });
    const fields = await fieldErrors(
      setTenantSso(prod, ACME, input({ clientSecret: undefined, clientId: 'another-client' })),
    );
    expect(fields).toHaveProperty('clientSecret');
    expect(await fieldErrors(setTenantSso(prod, BOLT, input({ clientSecret: undefined })))).toHaveProperty(
      'clientSecret',
    );
  });

  it('requires an https issuer in production and accepts http only where allowed (tests, local mode)', async () => {
    const fields = await fieldErrors(setTenantSso(prod, BOLT, input({ issuer: 'http://127.0.0.1:9999' })));
    expect(fields['issuer']).toEqual(['must be an https URL']);
    expect((await setTenantSso(local, BOLT, input({ issuer: 'http://127.0.0.1:9999' }))).issuer).toBe(
      'http://127.0.0.1:9999',
    );
    expect(
      await fieldErrors(setTenantSso(prod, BOLT, input({ issuer: 'https://idp.test/?tenant=x' }))),
    ).toHaveProperty('issuer');
  });

  it('answers bad input field by field and changes nothing', async () => {
    const before = await getTenantSso(platform.db, ACME);
    const fields = await fieldErrors(
      setTenantSso(prod, ACME, {
        issuer: 'not a url',
        clientId: '',
        clientSecret: SECRET,
        allowedEmailDomains: ['not a domain'],
        defaultRole: 'Admin; DROP',
      }),
    );
    expect(Object.keys(fields).sort()).toEqual([
      'allowedEmailDomains.0',
      'clientId',
      'defaultRole',
      'issuer',
    ]);
    expect(await fieldErrors(setTenantSso(prod, ACME, input({ allowedEmailDomains: [] })))).toHaveProperty(
      'allowedEmailDomains',
    );
    expect(await getTenantSso(platform.db, ACME)).toEqual(before);
  });

  it('refuses an unknown tenant', async () => {
    await expect(setTenantSso(prod, 'zzzzzzzzzzzz', input())).rejects.toBeInstanceOf(NotFound);
  });

  it('switches SSO off without forgetting the settings', async () => {
    const off = await disableTenantSso(platform.db, ACME);
    expect(off).toMatchObject({ enabled: false, clientId: 'crm' });
    expect(await loadTenantSsoClient(platform.db, prod.secretKey, ACME)).toBeNull();
    await setTenantSso(prod, ACME, input({ clientSecret: undefined, enabled: true }));
    expect(await loadTenantSsoClient(platform.db, prod.secretKey, ACME)).not.toBeNull();
    expect(await disableTenantSso(platform.db, 'cccccccccccc')).toBeNull();
  });

  it("will not open a secret copied into another tenant's row", async () => {
    const sealed = (await platform.db('tenant_sso').first('client_secret_sealed').where({ tenant_id: ACME }))
      .client_secret_sealed as string;
    await platform.db('tenant_sso').where({ tenant_id: BOLT }).update({ client_secret_sealed: sealed });
    await expect(loadTenantSsoClient(platform.db, prod.secretKey, BOLT)).rejects.toThrow();
  });
});
