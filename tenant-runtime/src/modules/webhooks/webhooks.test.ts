import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, open } from '@solar/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadWorkerConfig } from '../../config.js';
import { toStoredEvent } from '../../engine/outbox/outbox-relay.js';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';
import { buildWorker, type BuiltWorker } from '../../worker/build-worker.js';
import { recordSources } from '../index.js';
import { buildSalesOrg, PEOPLE, type SalesOrg, type Who } from '../leads/lead-test-org.js';
import { webhookConsumer } from './webhook-delivery.js';
import { secretAad } from './webhook-service.js';
import { verifySignature } from './webhook-signature.js';
import { guardedLookup, isPrivateAddress, refuseTarget } from './webhook-target.js';

/*
 * Webhooks end to end, with real parts only: the runtime's admin API, the real outbox worker (relay →
 * consumer → delivery queue → delivery worker), MariaDB, Redis and an HTTP receiver in this process.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(5).toString('hex');
const logger = createLogger('webhooks-test', 'silent');

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let rt: TestRuntime;
let org: SalesOrg;
let worker: BuiltWorker;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** statuses the receiver answers, per request path, in order; 200 when none is left */
const answers = new Map<string, number[]>();

const CREATE = /* GraphQL */ `
  mutation ($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      secret
      webhook {
        id
        url
        events
        status
        createdBy
      }
    }
  }
`;

async function createWebhook(who: Who, path: string, events: string[] = ['lead.*']) {
  const data = await org.ok(who, CREATE, { input: { url: `${base}${path}`, events, description: path } });
  return data.createWebhook as { secret: string; webhook: { id: string; createdBy: string } };
}

async function createLead(who: Who, firstName: string): Promise<string> {
  const data = await org.ok(
    who,
    `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`,
    { input: { firstName, lastName: 'Ray', source: 'WEB_FORM' } },
  );
  return data.createLead.lead.id as string;
}

const at = (path: string) => received.filter((r) => r.path === path);
const bodies = (path: string) => at(path).map((r) => JSON.parse(r.body));

async function deliveriesOf(webhookId: string) {
  return org.tenant.db('webhook_deliveries').where({ webhook_id: webhookId }).orderBy('id') as Promise<
    Array<Record<string, unknown>>
  >;
}

/** Waits until the webhook's deliveries stand as `statuses` (in any order). */
async function untilStatuses(webhookId: string, statuses: string[]) {
  await vi.waitFor(
    async () =>
      expect((await deliveriesOf(webhookId)).map((d) => d['status']).sort()).toEqual([...statuses].sort()),
    { timeout: 15_000 },
  );
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      res.statusCode = answers.get(path)?.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  rt = await startTestRuntime({ env: { WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' } });
  org = await buildSalesOrg(rt);
  // an integrations role: may manage webhooks (access:manage:all) but reads leads only as a sales rep
  await org.ok('admin', `mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
    i: { id: 'integrations', name: 'Integrations', permissions: ['access:manage:all'] },
  });
  await org.ok('admin', `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
    i: { memberId: PEOPLE.rep1, roleId: 'integrations' },
  });
  const config = loadWorkerConfig({
    DATABASE_URL: rt.platform.url,
    REDIS_URL,
    PLATFORM_SECRET_KEY: rt.secretKey.toString('base64'),
    OUTBOX_QUEUE: `outbox-${run}`,
    WEBHOOK_QUEUE: `webhooks-${run}`,
    OUTBOX_QUEUE_PREFIX: `test:${run}:bull`,
    OUTBOX_POLL_MS: '100',
    TENANT_REGISTRY_TTL_MS: '0',
    WEBHOOK_BACKOFF_MS: '100',
    WEBHOOK_ATTEMPTS: '3',
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
  });
  worker = buildWorker({ config, logger, platformDb: rt.platform.db });
}, 60_000);

afterAll(async () => {
  await worker?.queue.obliterate({ force: true });
  await worker?.webhookQueue.obliterate({ force: true });
  await worker?.close();
  await rt?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('the admin API', () => {
  it('an admin creates a webhook and sees its secret once; it is stored sealed with the platform key', async () => {
    const { secret, webhook } = await createWebhook('admin', '/admin-created');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(webhook).toMatchObject({ events: ['lead.*'], status: 'ACTIVE', createdBy: PEOPLE.admin });

    const [row] = await org.tenant.db('webhooks').where({ id: webhook.id });
    expect(row.secret_sealed).not.toContain(secret);
    expect(open(row.secret_sealed, rt.secretKey, secretAad(org.tenant.id, webhook.id))).toBe(secret);

    const listed = await org.ok('admin', `{ webhooks { id url status } }`);
    expect(listed.webhooks).toContainEqual({
      id: webhook.id,
      url: `${base}/admin-created`,
      status: 'ACTIVE',
    });

    const paused = await org.ok(
      'admin',
      `mutation($id: ID!) { updateWebhook(id: $id, input: { active: false }) { status pausedReason } }`,
      { id: webhook.id },
    );
    expect(paused.updateWebhook).toEqual({ status: 'PAUSED', pausedReason: 'paused by an administrator' });

    const rotated = await org.ok('admin', `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, {
      id: webhook.id,
    });
    expect(rotated.rotateWebhookSecret.secret).not.toBe(secret);
    await org.ok('admin', `mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id: webhook.id });
    expect(await org.ok('admin', `query($id: ID!) { webhook(id: $id) { id } }`, { id: webhook.id })).toEqual({
      webhook: null,
    });
  });

  it('a member without the permission may not list or create webhooks', async () => {
    expect(await org.code('rep2', `{ webhooks { id } }`)).toBe('FORBIDDEN');
    expect(await org.code('rep2', CREATE, { input: { url: `${base}/nope`, events: ['*'] } })).toBe(
      'FORBIDDEN',
    );
  });

  it('bad input answers 400 with field messages and creates nothing', async () => {
    const before = await org.tenant.db('webhooks').count({ n: '*' });
    const res = await rt.graphql(await rt.tokenFor(org.tenant, { sub: PEOPLE.admin }), CREATE, {
      input: { url: `${base}/bad`, events: ['LEAD CREATED'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { 'events.0': [expect.stringMatching(/event type/)] },
    });
    expect(await org.code('admin', CREATE, { input: { url: 'ftp://example.com/x', events: ['*'] } })).toBe(
      'VALIDATION_FAILED',
    );
    expect(await org.tenant.db('webhooks').count({ n: '*' })).toEqual(before);
  });
});

describe('deliveries', () => {
  it('are signed: Solar-Signature verifies against the secret over the exact body', async () => {
    const { secret } = await createWebhook('admin', '/signed', ['lead.created']);
    const id = await createLead('rep1', 'Signed');
    await vi.waitFor(() => expect(bodies('/signed').map((b) => b.data.id)).toContain(id), {
      timeout: 15_000,
    });
    const request = at('/signed').find((r) => JSON.parse(r.body).data.id === id)!;
    const body = JSON.parse(request.body);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['solar-event-type']).toBe('lead.created');
    expect(request.headers['solar-event-id']).toBe(body.id);
    expect(body).toMatchObject({
      type: 'lead.created',
      data: { type: 'Lead', id, record: { id, firstName: 'Signed' } },
    });
    const signature = request.headers['solar-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, request.body, signature)).toBe(true);
    expect(verifySignature(secret, request.body.replace('Signed', 'Forged'), signature)).toBe(false);
    expect(verifySignature('whsec_other', request.body, signature)).toBe(false);
  });

  it("a rep's webhook carries their own leads, never another team's", async () => {
    const { webhook } = await createWebhook('rep1', '/rep1');
    const theirs = await createLead('rep2', 'Theirs');
    const mine = await createLead('rep1', 'Mine');
    await vi.waitFor(() => expect(bodies('/rep1').map((b) => b.data.id)).toContain(mine), {
      timeout: 15_000,
    });
    await untilStatuses(webhook.id, ['skipped', 'succeeded']);
    expect(
      at('/rep1')
        .map((r) => r.body)
        .join(''),
    ).not.toContain(theirs);
    expect(bodies('/rep1').map((b) => b.data.id)).toEqual([mine]);
  });

  it('a deleted lead is reported, without its record, to webhooks whose owner could see it', async () => {
    const { webhook } = await createWebhook('rep1', '/rep1-deleted', ['lead.deleted']);
    const mine = await createLead('rep1', 'Gone');
    const theirs = await createLead('rep2', 'AlsoGone');
    for (const id of [theirs, mine])
      await org.ok('admin', `mutation($id: ID!) { deleteLead(id: $id) { deletedId } }`, { id });
    await untilStatuses(webhook.id, ['skipped', 'succeeded']);
    expect(bodies('/rep1-deleted')).toEqual([
      expect.objectContaining({
        type: 'lead.deleted',
        data: { type: 'Lead', id: mine, record: null, deleted: true },
      }),
    ]);
    expect(at('/rep1-deleted')[0]!.body).not.toContain(theirs);
  });

  it('a deleted activity is reported to webhooks whose owner can see the record it was on', async () => {
    const { webhook } = await createWebhook('rep1', '/activity-deleted', ['activity.deleted']);
    const note = async (who: Who, leadId: string) =>
      (
        await org.ok(who, `mutation($input: LogActivityInput!) { logActivity(input: $input) { id } }`, {
          input: { kind: 'NOTE', subjectType: 'LEAD', subjectId: leadId, body: 'Called back' },
        })
      ).logActivity.id as string;
    const mine = await note('rep1', await createLead('rep1', 'Noted'));
    const theirs = await note('rep2', await createLead('rep2', 'NotedToo'));
    for (const id of [theirs, mine])
      await org.ok('admin', `mutation($id: ID!) { deleteActivity(id: $id) }`, { id });
    await untilStatuses(webhook.id, ['skipped', 'succeeded']);
    expect(bodies('/activity-deleted').map((b) => b.data)).toEqual([
      { type: 'Activity', id: mine, record: null, deleted: true },
    ]);
  });

  it('a redelivered outbox event changes nothing: one delivery, one request', async () => {
    const { webhook } = await createWebhook('admin', '/once', ['lead.created']);
    const id = await createLead('admin', 'Once');
    await vi.waitFor(() => expect(bodies('/once').map((b) => b.data.id)).toEqual([id]), { timeout: 15_000 });
    const row = await org.tenant.db('outbox').where({ entity_id: id, type: 'lead.created' }).first();
    const event = toStoredEvent(org.tenant.id, row);
    const consumer = webhookConsumer(worker.webhookQueue, recordSources);
    await consumer.handle(event, { db: org.tenant.db, logger });
    await consumer.handle(event, { db: org.tenant.db, logger });
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveriesOf(webhook.id)).toHaveLength(1);
    expect(at('/once')).toHaveLength(1);
  });

  it('a receiver answering 500 then 200 gets a retry; both attempts are recorded', async () => {
    answers.set('/flaky', [500]);
    const { webhook } = await createWebhook('admin', '/flaky', ['lead.created']);
    const id = await createLead('admin', 'Flaky');
    await vi.waitFor(
      async () => expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'succeeded' }),
      { timeout: 15_000 },
    );
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toMatchObject({ attempts: 2, response_status: 200, last_error: null });
    const attempts = await org.tenant
      .db('webhook_attempts')
      .where({ delivery_id: delivery!['id'] })
      .orderBy('attempt');
    expect(attempts.map((a) => [a.attempt, a.response_status, a.error])).toEqual([
      [1, 500, 'receiver answered 500'],
      [2, 200, null],
    ]);
    expect(at('/flaky').map((r) => JSON.parse(r.body).data.id)).toEqual([id, id]);

    const api = await org.ok(
      'admin',
      `query($id: ID!) { webhook(id: $id) { deliveries(first: 5) { eventType status attempts responseStatus } } }`,
      { id: webhook.id },
    );
    expect(api.webhook.deliveries).toEqual([
      { eventType: 'lead.created', status: 'SUCCEEDED', attempts: 2, responseStatus: 200 },
    ]);
  });

  it("a disabled creator's webhook pauses instead of delivering", async () => {
    const { webhook } = await createWebhook('rep1', '/disabled');
    await org.ok('admin', `mutation($id: ID!) { setMemberStatus(id: $id, status: DISABLED) { id } }`, {
      id: PEOPLE.rep1,
    });
    await createLead('admin', 'WhileDisabled');
    await vi.waitFor(
      async () => expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'paused' }),
      { timeout: 15_000 },
    );
    const [row] = await org.tenant.db('webhooks').where({ id: webhook.id });
    expect(row).toMatchObject({ status: 'paused', paused_reason: 'its owner was disabled' });
    expect(at('/disabled')).toHaveLength(0);
  });
});

describe('targets (SSRF guard)', () => {
  const closed = { allowPrivate: false, requireHttps: false };

  it('a runtime without WEBHOOKS_ALLOW_PRIVATE_TARGETS refuses a private target with a field message', async () => {
    const strict = await startTestRuntime();
    try {
      const tenant = await strict.provisionTenant();
      const token = await strict.tokenFor(tenant, { sub: PEOPLE.admin });
      for (const url of [`${base}/inside`, 'http://169.254.169.254/latest/meta-data']) {
        const res = await strict.graphql(token, CREATE, { input: { url, events: ['*'] } });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].extensions).toMatchObject({
          code: 'VALIDATION_FAILED',
          fields: { url: ['resolves to a private, loopback or link-local address'] },
        });
      }
      expect(await tenant.db('webhooks').count({ n: '*' })).toEqual([{ n: 0 }]);
    } finally {
      await strict.close();
    }
  }, 60_000);

  it('private, loopback and link-local targets are refused unless allowed', async () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://localhost/x',
      'http://10.1.2.3/x',
      'http://192.168.0.10/x',
      'http://172.20.0.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[fd00::1]/x',
      'http://[::ffff:10.0.0.1]/x',
    ])
      expect(await refuseTarget(url, closed), url).toMatch(/private|does not resolve/);
    expect(await refuseTarget('http://127.0.0.1:8080/x', { ...closed, allowPrivate: true })).toBeNull();
    expect(await refuseTarget('https://93.184.216.34/hook', closed)).toBeNull();
  });

  it('on delivery, a name that resolves to a private address is refused at connect time (DNS rebinding)', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const attempt = (allowPrivate: boolean) =>
      new Promise<string>((resolve) => {
        const req = request(
          `http://localhost:${port}/rebound`,
          { method: 'POST', lookup: guardedLookup({ allowPrivate, requireHttps: false }) },
          (res) => {
            res.resume();
            resolve(`answered ${res.statusCode}`);
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        req.end('{}');
      });
    expect(await attempt(false)).toBe('EPRIVATETARGET');
    expect(at('/rebound')).toHaveLength(0);
    expect(await attempt(true)).toBe('answered 200');
    expect(at('/rebound')).toHaveLength(1);
  });

  it('https is required in production; other schemes and credentials never', async () => {
    expect(await refuseTarget('http://93.184.216.34/hook', { ...closed, requireHttps: true })).toBe(
      'must use https',
    );
    expect(await refuseTarget('file:///etc/passwd', closed)).toBe('must be an http(s) URL');
    expect(await refuseTarget('https://user:pw@93.184.216.34/', closed)).toBe('must not carry credentials');
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('100.64.0.1')).toBe(true);
  });
});
