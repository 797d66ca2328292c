import { createLogger } from '@solar/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { recheckDomains } from './domain-verification.js';
import {
  addOwnedTenant,
  startSettingsGraphql,
  startTxtDnsServer,
  type TxtDnsServer,
} from './settings-graphql.fixture.js';
import { createTxtLookup } from './txt-lookup.js';

let h: Harness;
let dns: TxtDnsServer;
let settings: Awaited<ReturnType<typeof startSettingsGraphql>>;
let acme: { tenant: TestTenant; token: string };
let bolt: { tenant: TestTenant; token: string };
const log = createLogger('domain-test', 'silent');

beforeAll(async () => {
  h = await startHarness();
  dns = await startTxtDnsServer();
  settings = await startSettingsGraphql(h, dns.server);
  acme = await addOwnedTenant(h, 'acme');
  bolt = await addOwnedTenant(h, 'bolt');
});
afterAll(async () => {
  await settings?.close();
  await dns?.close();
  await h?.close();
});

interface Claim {
  domain: string;
  verified: boolean;
  txtName: string;
  txtValue: string;
  lastCheckError: string | null;
}
const CLAIM = 'domain verified txtName txtValue lastCheckError';
const claim = async (who: typeof acme, domain: string) => {
  const res = await settings.gql<{ addDomain: Claim }>(
    who.tenant,
    who.token,
    `mutation { addDomain(domain: "${domain}") { ${CLAIM} } }`,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.addDomain;
};
const verify = (who: typeof acme, domain: string) =>
  settings.gql<{ verifyDomain: Claim }>(
    who.tenant,
    who.token,
    `mutation { verifyDomain(domain: "${domain}") { ${CLAIM} } }`,
  );
const publish = (c: Claim) => dns.records.set(c.txtName, [c.txtValue]);
/** Which tenant a request on `host` reaches: its slug, or null when the host names none. */
async function routesTo(host: string): Promise<string | null> {
  const res = await h.call('GET', '/graphql?query=%7B__typename%7D', { host });
  if (res.status === 404) return null;
  expect(res.status).toBe(401); // found a tenant, then found no caller
  const [row] = await h.platform
    .db('tenant_domains')
    .join('tenants', 'tenants.id', 'tenant_domains.tenant_id')
    .where({ domain: host, verified: true })
    .select('tenants.slug');
  return (row as { slug: string } | undefined)?.slug ?? 'resolved without a verified row';
}

describe('custom domain verification (DNS TXT)', () => {
  it('does not verify or route a domain before its TXT record is published, and says why', async () => {
    await claim(acme, 'crm.acme-solar.test');
    const res = await verify(acme, 'crm.acme-solar.test');
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.extensions?.fields?.domain?.[0]).toMatch(
      /no TXT record at _solarcrm-verify\.crm\.acme-solar\.test/,
    );
    expect(await routesTo('crm.acme-solar.test')).toBeNull();
  });

  it('refuses a record with the wrong value', async () => {
    const c = await claim(acme, 'wrong.acme-solar.test');
    dns.records.set(c.txtName, ['solarcrm-verify=not-the-token']);
    const res = await verify(acme, 'wrong.acme-solar.test');
    expect(res.errors?.[0]?.extensions?.fields?.domain?.[0]).toMatch(/is not solarcrm-verify=/);
    expect(await routesTo('wrong.acme-solar.test')).toBeNull();
  });

  it('verifies the domain once the record carries the claim token, and then routes it to the tenant', async () => {
    const c = await claim(acme, 'portal.acme-solar.test');
    dns.records.set(c.txtName, ['v=spf1 -all', c.txtValue]); // other TXT values beside ours are fine
    const res = await verify(acme, 'portal.acme-solar.test');
    expect(res.data?.verifyDomain).toMatchObject({
      domain: 'portal.acme-solar.test',
      verified: true,
      lastCheckError: null,
    });
    expect(await routesTo('portal.acme-solar.test')).toBe('acme');
  });

  it('lets several tenants claim a domain, but only the first to prove it gets it; then nobody else may claim it', async () => {
    const acmeClaim = await claim(acme, 'shared.example.test');
    const boltClaim = await claim(bolt, 'shared.example.test');
    expect(boltClaim.txtValue).not.toBe(acmeClaim.txtValue);
    publish(boltClaim);
    expect((await verify(bolt, 'shared.example.test')).data?.verifyDomain.verified).toBe(true);
    publish(acmeClaim);
    const late = await verify(acme, 'shared.example.test');
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await routesTo('shared.example.test')).toBe('bolt');

    const third = await addOwnedTenant(h, 'carp');
    const res = await settings.gql(
      third.tenant,
      third.token,
      `mutation { addDomain(domain: "shared.example.test") { domain } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('stops routing a domain its owner removes', async () => {
    const c = await claim(acme, 'gone.acme-solar.test');
    publish(c);
    await verify(acme, 'gone.acme-solar.test');
    expect(await routesTo('gone.acme-solar.test')).toBe('acme');
    await settings.gql(
      acme.tenant,
      acme.token,
      `mutation { removeDomain(domain: "gone.acme-solar.test") { slug } }`,
    );
    expect(await routesTo('gone.acme-solar.test')).toBeNull();
  });

  it('only the owner may verify', async () => {
    await h.addIdentity(acme.tenant, 'rep@acme.test', 'correct horse battery');
    const rep = await h.signIn(acme.tenant, 'rep@acme.test', 'correct horse battery');
    const res = await settings.gql(
      acme.tenant,
      rep,
      `mutation { verifyDomain(domain: "portal.acme-solar.test") { domain } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('periodic re-check', () => {
  const lookup = () => createTxtLookup({ servers: [dns.server], timeoutMs: 500 });

  it('verifies pending claims whose record appeared, and un-routes verified domains whose record is gone', async () => {
    const pending = await claim(acme, 'later.acme-solar.test');
    const kept = await claim(acme, 'kept.acme-solar.test');
    const lost = await claim(acme, 'lost.acme-solar.test');
    publish(kept);
    publish(lost);
    await verify(acme, 'kept.acme-solar.test');
    await verify(acme, 'lost.acme-solar.test');
    publish(pending);
    dns.records.delete(lost.txtName);

    await recheckDomains(h.platform.db, lookup(), log);
    expect(await routesTo('later.acme-solar.test')).toBe('acme');
    expect(await routesTo('kept.acme-solar.test')).toBe('acme');
    expect(await routesTo('lost.acme-solar.test')).toBeNull();
    const settingsNow = await settings.gql<{ tenantSettings: { domains: Claim[] } }>(
      acme.tenant,
      acme.token,
      `{ tenantSettings { domains { ${CLAIM} } } }`,
    );
    expect(
      settingsNow.data?.tenantSettings.domains.find((d) => d.domain === 'lost.acme-solar.test'),
    ).toMatchObject({
      verified: false,
      lastCheckError: expect.stringMatching(/no TXT record/),
    });
  });

  it('changes nothing when DNS itself fails (a lookup failure proves nothing)', async () => {
    const c = await claim(acme, 'steady.acme-solar.test');
    publish(c);
    await verify(acme, 'steady.acme-solar.test');
    dns.failing = true;
    try {
      await recheckDomains(h.platform.db, lookup(), log);
    } finally {
      dns.failing = false;
    }
    expect(await routesTo('steady.acme-solar.test')).toBe('acme');
  });
});
