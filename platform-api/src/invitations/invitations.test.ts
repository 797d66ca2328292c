import { startTestSmtp, type CapturedMail, type TestSmtp } from '@solar/common/testing/smtp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphqlText } from '../tenant-roles/roles-fixture.js';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

/*
 * A real SMTP server in this process receives the mail. The runtime is the fake one, answering the three
 * things platform-api asks of it here as the real one does: roles, a member's first request (which makes
 * the member), and grantRole (only for a caller holding access:manage:all).
 */
const PASSWORD = 'orchid tractor umbrella 9';
const NEW_PASSWORD = 'lantern quartz meadow 47';
const json = { 'content-type': 'application/json' };
let h: Harness;
let runtime: FakeRuntime;
let smtp: TestSmtp;
let acme: TestTenant;
let bolt: TestTenant;
let adaId: string;
let ada: string;
let sam: string;
let mails: CapturedMail[] = [];
const members = new Map<string, { name?: string; email?: string; roles: string[] }>();
const admins = new Set<string>();

beforeAll(async () => {
  smtp = await startTestSmtp();
  mails = smtp.mails;
  h = await startHarness({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Solar CRM <no-reply@solar.test>',
    TENANT_WEB_URL: 'https://{slug}.crm.test',
  });
  runtime = await startFakeRuntime(h.publicKey);
  runtime.handler = (request, res) => {
    const claims = request.claims!;
    const body = JSON.parse(request.body) as { variables?: { input?: Record<string, string> } };
    const query = graphqlText(request.body);
    const answer = (payload: object) => {
      res
        .writeHead(200, { 'content-type': 'application/graphql-response+json' })
        .end(JSON.stringify(payload));
      return true;
    };
    if (!members.has(claims.sub))
      members.set(claims.sub, { name: claims.name, email: claims.email, roles: [] });
    if (query.includes('roles { id }'))
      return answer({ data: { roles: [{ id: 'admin' }, { id: 'sales_rep' }] } });
    if (query.includes('viewer { permissions }'))
      return answer({
        data: { viewer: { permissions: admins.has(claims.sub) ? ['access:manage:all'] : [] } },
      });
    if (query.includes('grantRole')) {
      if (!admins.has(claims.sub))
        return answer({ errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }], data: null });
      const input = body.variables!.input!;
      members.get(input.memberId!)!.roles.push(input.roleId!);
      return answer({ data: { grantRole: input } });
    }
    return false;
  };
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  bolt = await h.addTenant({ slug: 'bolt', endpoint: runtime.endpoint });
  adaId = (await h.addIdentity(acme, 'ada@acme.test', PASSWORD)).id;
  await h.addIdentity(acme, 'sam@acme.test', PASSWORD);
  admins.add(adaId);
  ada = await h.signIn(acme, 'ada@acme.test', PASSWORD);
  sam = await h.signIn(acme, 'sam@acme.test', PASSWORD);
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
  await smtp?.close();
});
beforeEach(() => {
  mails.length = 0;
});

const invite = (body: unknown, token = ada) =>
  h.call('POST', '/auth/invitations', {
    host: acme.host,
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
const linkIn = (raw: string) => {
  const unfolded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return /https:\/\/acme\.crm\.test\/invite\/([A-Za-z0-9_-]{43})/.exec(unfolded)?.[1];
};
const accept = (
  token: string,
  tenant = acme,
  body: unknown = { displayName: 'Nia New', password: NEW_PASSWORD },
) =>
  h.call('POST', `/auth/invitations/${token}/accept`, {
    host: tenant.host,
    headers: json,
    body: JSON.stringify(body),
  });

async function invitedToken(email: string, role = 'sales_rep'): Promise<{ id: string; token: string }> {
  const res = await invite({ email, role });
  expect(res.status).toBe(201);
  const token = linkIn(mails.at(-1)!.raw);
  expect(token).toBeDefined();
  return { id: res.json<{ id: string }>().id, token: token! };
}

describe('invitations', () => {
  it('mail the link; the invited person accepts once, is signed in, and the runtime member gets the role', async () => {
    const res = await invite({ email: 'Nia@Example.test', role: 'sales_rep' });
    expect(res.status).toBe(201);
    const created = res.json<{ id: string; emailSent: boolean; link?: string; status: string }>();
    expect(created).toMatchObject({ emailSent: true, status: 'pending' });
    expect(created.link).toBeUndefined();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('nia@example.test');
    const token = linkIn(mails[0]!.raw)!;
    expect(token).toBeDefined();
    const row = await h.platform.db('tenant_invitations').where({ id: created.id }).first();
    expect(JSON.stringify(row)).not.toContain(token);

    const view = await h.call('GET', `/auth/invitations/${token}`, { host: acme.host });
    expect(view.status).toBe(200);
    expect(view.json()).toMatchObject({
      email: 'nia@example.test',
      role: 'sales_rep',
      invitedBy: { displayName: 'ada' },
      tenant: { slug: 'acme' },
    });

    const accepted = await accept(token);
    expect(accepted.status).toBe(200);
    expect(String(accepted.headers['set-cookie'])).toMatch(/solar_session=/);
    const user = accepted.json<{ user: { id: string; email: string; displayName: string } }>().user;
    expect(user).toMatchObject({ email: 'nia@example.test', displayName: 'Nia New' });
    expect(members.get(user.id)).toEqual({
      name: 'Nia New',
      email: 'nia@example.test',
      roles: ['sales_rep'],
    });
    expect((await h.signIn(acme, 'nia@example.test', NEW_PASSWORD)).length).toBeGreaterThan(20);

    expect((await accept(token)).status).toBe(410);
    expect((await h.call('GET', `/auth/invitations/${token}`, { host: acme.host })).status).toBe(410);
    const list = await h.call('GET', '/auth/invitations', {
      host: acme.host,
      headers: { authorization: `Bearer ${ada}` },
    });
    expect(list.json<{ invitations: Array<{ id: string; status: string }> }>().invitations).toContainEqual(
      expect.objectContaining({ id: created.id, status: 'accepted' }),
    );
  });

  it('refuse revoked and expired links with 410, and a link of acme on bolt’s host is unknown', async () => {
    const revoked = await invitedToken('rev@example.test');
    const del = await h.call('DELETE', `/auth/invitations/${revoked.id}`, {
      host: acme.host,
      headers: { authorization: `Bearer ${ada}` },
    });
    expect(del.status).toBe(204);
    expect((await accept(revoked.token)).status).toBe(410);

    const expired = await invitedToken('exp@example.test');
    await h.platform
      .db('tenant_invitations')
      .where({ id: expired.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const gone = await accept(expired.token);
    expect(gone.status).toBe(410);
    expect(gone.json<{ error: { code: string } }>().error.code).toBe('INVITATION_GONE');

    const elsewhere = await invitedToken('cross@example.test');
    expect((await accept(elsewhere.token, bolt)).status).toBe(404);
    expect((await h.call('GET', `/auth/invitations/${elsewhere.token}`, { host: bolt.host })).status).toBe(
      404,
    );
    expect(await h.platform.db('identities').where({ email: 'cross@example.test' }).first()).toBeUndefined();
    expect((await accept(elsewhere.token)).status).toBe(200);
  });

  it('apply the password policy and change nothing on bad input', async () => {
    const { token } = await invitedToken('weak@example.test');
    const weak = await accept(token, acme, { displayName: 'Wes', password: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.json<{ error: { fields: Record<string, string[]> } }>().error.fields.password).toBeDefined();
    const missing = await accept(token, acme, { password: NEW_PASSWORD });
    expect(Object.keys(missing.json<{ error: { fields: object } }>().error.fields)).toEqual(['displayName']);
    expect(await h.platform.db('identities').where({ email: 'weak@example.test' }).first()).toBeUndefined();
    expect((await accept(token, acme, { displayName: 'Wes', password: NEW_PASSWORD })).status).toBe(200);
  });

  it('keep nothing when the runtime refuses the grant, and the link still works afterwards', async () => {
    const { id, token } = await invitedToken('late@example.test');
    admins.delete(adaId); // the inviting admin lost the role before the invitation was accepted
    try {
      const refused = await accept(token);
      expect(refused.status).toBe(502);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('RUNTIME_REFUSED');
      expect(await h.platform.db('identities').where({ email: 'late@example.test' }).first()).toBeUndefined();
      const row = await h.platform.db('tenant_invitations').where({ id }).first();
      expect(row.accepted_at).toBeNull();
    } finally {
      admins.add(adaId);
    }
    expect((await accept(token)).status).toBe(200);
  });

  it('are for administrators only, with a role the workspace has, for someone not yet a member', async () => {
    expect((await invite({ email: 'x@example.test', role: 'sales_rep' }, sam)).status).toBe(403);
    const unknownRole = await invite({ email: 'x@example.test', role: 'wizard' });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.json<{ error: { fields: object } }>().error.fields).toHaveProperty('role');
    const bad = await invite({ email: 'not-an-email', role: 'Sales Rep' });
    expect(Object.keys(bad.json<{ error: { fields: object } }>().error.fields).sort()).toEqual([
      'email',
      'role',
    ]);
    expect((await invite({ email: 'sam@acme.test', role: 'sales_rep' })).status).toBe(409);
    expect(mails).toHaveLength(0);
  });

  it('show the link once instead of mailing it when no SMTP server is configured', async () => {
    const local = await startHarness({ TENANT_WEB_URL: 'http://{slug}.localhost:5173' });
    // this harness signs with its own key: a runtime trusting it, answering as the shared fake does
    const localRuntime = await startFakeRuntime(local.publicKey);
    localRuntime.handler = runtime.handler;
    try {
      const tenant = await local.addTenant({ slug: 'acme', endpoint: localRuntime.endpoint });
      const owner = await local.addIdentity(tenant, 'olga@acme.test', PASSWORD);
      await local.platform.db('tenants').where({ id: tenant.id }).update({ owner_identity_id: owner.id });
      admins.add(owner.id);
      const token = await local.signIn(tenant, 'olga@acme.test', PASSWORD);
      const res = await local.call('POST', '/auth/invitations', {
        host: tenant.host,
        headers: { ...json, authorization: `Bearer ${token}` },
        body: JSON.stringify({ email: 'lou@example.test', role: 'sales_rep' }),
      });
      expect(res.status).toBe(201);
      expect(res.json()).toMatchObject({
        emailSent: false,
        link: expect.stringMatching(/^http:\/\/acme\.localhost:5173\/invite\/[A-Za-z0-9_-]{43}$/),
      });
      expect(mails).toHaveLength(0);
    } finally {
      await localRuntime.close();
      await local.close();
    }
  });
});
