import { randomBytes } from 'node:crypto';
import { createLogger, type Knex } from '@solar/common';
import type { TestTenant } from '@solar/operator/testing';
import { Job, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';
import { loadWorkerConfig } from '../../config.js';
import { buildWorker } from '../../worker/build-worker.js';
import { createDataAccess, type DataAccess } from '../data/data-access.js';
import { ALL_SCOPE, type Actor } from '../data/scope.js';
import { auditConsumer } from './audit-consumer.js';
import { cacheInvalidationConsumer } from './cache-invalidation-consumer.js';
import { listDeadLetters } from './dead-letters.js';
import type { StoredEvent } from './domain-event.js';
import type { EventConsumer } from './event-consumer.js';
import { createOutboxQueue, type OutboxQueue } from './outbox-queue.js';
import { relayTenantOutbox, toStoredEvent } from './outbox-relay.js';
import { startOutboxWorker } from './outbox-worker.js';
import { recordEvent } from './record-event.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(5).toString('hex');
const prefix = `test:${run}:bull`;
const channelPrefix = `test:${run}:changes:`;
const logger = createLogger('outbox-test', 'silent');
const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`;
const CONVERT = `mutation($input: ConvertLeadInput!) { convertLead(input: $input) { lead { id status } } }`;

let rt: TestRuntime;
let tenant: TestTenant;
let token: string;
let redis: Redis;
let listener: Redis;
const published: Array<{ channel: string; message: unknown }> = [];
const queues: OutboxQueue[] = [];
const closers: Array<() => Promise<unknown>> = [];

/** The system acting on the tenant's own connection: enough to call recordEvent outside a request. */
const system: Actor = {
  memberId: null,
  primaryUnitId: null,
  scope: () => ALL_SCOPE,
  granted: [],
  assignable: async () => 'ok',
};
const dataOf = (db: Knex): DataAccess =>
  createDataAccess({ db, tenantId: tenant.id, actor: system, readOnly: false });
const origin = { actorId: null, requestId: 'test-request' };

const outboxRows = (where: Record<string, unknown> = {}) =>
  tenant.db('outbox').where(where).orderBy('id') as Promise<Array<Record<string, unknown>>>;
const markAllDispatched = () =>
  tenant.db('outbox').whereNull('dispatched_at').update({ dispatched_at: new Date() });

function queue(name: string, attempts = 3): OutboxQueue {
  const q = createOutboxQueue({ connection: redis, name, prefix, attempts, backoffMs: 10 });
  queues.push(q);
  return q;
}
async function newEvent(entityId = randomBytes(6).toString('hex')): Promise<string> {
  return recordEvent(dataOf(tenant.db), origin, {
    type: 'lead.updated',
    entityType: 'Lead',
    entityId,
    payload: { fields: ['phone'] },
  });
}
async function storedEvent(id: string): Promise<StoredEvent> {
  const [row] = await outboxRows({ id });
  return toStoredEvent(tenant.id, row as unknown as Parameters<typeof toStoredEvent>[1]);
}

beforeAll(async () => {
  rt = await startTestRuntime();
  tenant = await rt.provisionTenant();
  token = await rt.tokenFor(tenant);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  listener = new Redis(REDIS_URL);
  listener.on('pmessage', (_p: string, channel: string, message: string) =>
    published.push({ channel, message: JSON.parse(message) }),
  );
  await listener.psubscribe(`${channelPrefix}*`);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const q of queues) {
    await q.obliterate({ force: true });
    await q.close();
  }
  listener?.disconnect();
  redis?.disconnect();
  await rt?.close();
});

describe('recording events', () => {
  it('a created lead leaves one lead.created event with only a reference and minimal fields', async () => {
    const res = await rt.graphql(token, CREATE_LEAD, {
      input: { firstName: 'Maria', lastName: 'Garcia', email: 'maria@example.com', source: 'REFERRAL' },
    });
    const id = res.body.data.createLead.lead.id as string;
    const events = await outboxRows({ entity_id: id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'lead.created',
      entity_type: 'Lead',
      dispatched_at: null,
      attempts: 0,
    });
    expect(events[0]!['request_id']).toEqual(expect.any(String));
    const raw = events[0]!['payload'];
    const payload = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
    // no personal data copied out of the row: receivers re-read it under their own scope
    expect(JSON.stringify(payload)).not.toContain('maria@example.com');
    expect(Object.keys(payload).sort()).toEqual(['ownerId', 'status']);
  });

  it('a write that fails leaves no event: invalid input, and a conversion refused half-way', async () => {
    const before = (await outboxRows()).length;
    const bad = await rt.graphql(token, CREATE_LEAD, { input: { firstName: 'No', lastName: '' } });
    expect(bad.body.errors).toBeDefined();
    expect(await outboxRows()).toHaveLength(before);

    const created = await rt.graphql(token, CREATE_LEAD, {
      input: { firstName: 'Ana', lastName: 'Lopez', email: 'ana@example.com', source: 'WEB_FORM' },
    });
    const leadId = created.body.data.createLead.lead.id as string;
    expect((await rt.graphql(token, CONVERT, { input: { leadId } })).body.errors).toBeUndefined();
    const converted = (await outboxRows({ type: 'lead.converted', entity_id: leadId })).length;
    expect(converted).toBe(1);
    // the second conversion writes (locks, touches the lead) before it is refused: all of it rolls back
    const again = await rt.graphql(token, CONVERT, { input: { leadId } });
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(await outboxRows({ type: 'lead.converted', entity_id: leadId })).toHaveLength(1);
  });

  it('an event recorded in a transaction that rolls back is gone with it', async () => {
    const entityId = `rollback-${run}`;
    await expect(
      dataOf(tenant.db).transaction(async (data) => {
        await recordEvent(data, origin, { type: 'lead.updated', entityType: 'Lead', entityId });
        expect(await data.unscoped('outbox').where({ entity_id: entityId })).toHaveLength(1);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await outboxRows({ entity_id: entityId })).toHaveLength(0);
  });
});

describe('relay', () => {
  it('enqueues each event exactly once, even when two relays run at once or one re-runs after a crash', async () => {
    await markAllDispatched();
    const ids = [await newEvent(), await newEvent(), await newEvent(), await newEvent()];
    const q = queue(`relay-${run}`);
    const counts = await Promise.all([
      relayTenantOutbox(tenant.db, tenant.id, q),
      relayTenantOutbox(tenant.db, tenant.id, q),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
    // a relay that enqueued but crashed before marking the rows dispatched
    await tenant.db('outbox').whereIn('id', ids).update({ dispatched_at: null });
    expect(await relayTenantOutbox(tenant.db, tenant.id, q)).toBe(4);
    expect(await relayTenantOutbox(tenant.db, tenant.id, q)).toBe(0);

    const waiting = await q.getJobs(['waiting']);
    expect(waiting.map((j) => j.id).sort()).toEqual([...ids].sort());
    expect(waiting.find((j) => j.id === ids[0])!.data).toMatchObject({
      id: ids[0],
      tenantId: tenant.id,
      type: 'lead.updated',
      entityType: 'Lead',
    });
    for (const row of await tenant.db('outbox').whereIn('id', ids))
      expect(row.dispatched_at).toBeInstanceOf(Date);
  });
});

describe('delivery', () => {
  async function deliver(name: string, consumers: EventConsumer[], attempts = 3) {
    await markAllDispatched();
    const id = await newEvent();
    const q = queue(name, attempts);
    const events = new QueueEvents(name, { connection: redis.duplicate(), prefix });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const worker = startOutboxWorker({
      connection: redis,
      name,
      prefix,
      consumers,
      connect: async () => tenant.db,
      logger,
    });
    closers.push(() => worker.close());
    await relayTenantOutbox(tenant.db, tenant.id, q);
    return { id, q, events };
  }

  it('a consumer failing twice then succeeding: delivered on the third attempt, attempts recorded', async () => {
    let calls = 0;
    const flaky: EventConsumer = {
      name: 'flaky',
      async handle() {
        calls += 1;
        if (calls <= 2) throw new Error(`flaky failure ${calls}`);
      },
    };
    const { id, q } = await deliver(`flaky-${run}`, [flaky]);
    await vi.waitFor(async () => expect((await outboxRows({ id }))[0]!['delivered_at']).not.toBeNull(), {
      timeout: 10_000,
    });
    const [row] = await outboxRows({ id });
    expect(row).toMatchObject({ attempts: 3, dead_at: null, last_error: 'flaky failure 2' });
    expect(await (await Job.fromId(q, id))!.getState()).toBe('completed');
  });

  it('a consumer that always fails: dead-lettered after the last attempt, with the reason visible', async () => {
    const broken: EventConsumer = {
      name: 'broken',
      async handle() {
        throw new Error('webhook endpoint answered 500');
      },
    };
    const { id, q } = await deliver(`dead-${run}`, [broken], 2);
    await vi.waitFor(async () => expect((await outboxRows({ id }))[0]!['dead_at']).not.toBeNull(), {
      timeout: 10_000,
    });
    const [row] = await outboxRows({ id });
    expect(row).toMatchObject({
      attempts: 2,
      delivered_at: null,
      last_error: 'webhook endpoint answered 500',
    });
    await vi.waitFor(async () => expect(await (await Job.fromId(q, id))!.getState()).toBe('failed'));
    const failed = await q.getFailed();
    expect(failed.map((j) => [j.id, j.failedReason])).toEqual([[id, 'webhook endpoint answered 500']]);
    const dead = await listDeadLetters(tenant.db);
    expect(dead.map((d) => [d.id, d.attempts, d.lastError])).toContainEqual([
      id,
      2,
      'webhook endpoint answered 500',
    ]);
  });
});

describe('consumers', () => {
  it('audit log: the same event delivered twice writes one entry', async () => {
    const event = await storedEvent(await newEvent());
    await auditConsumer.handle(event, { db: tenant.db, logger });
    await auditConsumer.handle(event, { db: tenant.db, logger });
    const rows = await tenant.db('audit_log').where({ event_id: event.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'lead.updated',
      entity_type: 'Lead',
      entity_id: event.entityId,
      request_id: 'test-request',
    });
  });

  it('audit log: access changes, already audited by their service, are not logged twice', async () => {
    const id = await recordEvent(dataOf(tenant.db), origin, {
      type: 'role.granted',
      entityType: 'Member',
      entityId: 'm-1',
    });
    await auditConsumer.handle(await storedEvent(id), { db: tenant.db, logger });
    expect(await tenant.db('audit_log').where({ event_id: id })).toHaveLength(0);
  });

  it("cache invalidation: publishes the entity on the tenant's change channel", async () => {
    published.length = 0;
    const event = await storedEvent(await newEvent('lead-42'));
    const consumer = cacheInvalidationConsumer(redis, { channelPrefix });
    await consumer.handle(event, { db: tenant.db, logger });
    await vi.waitFor(() => expect(published).toHaveLength(1));
    expect(published[0]).toEqual({
      channel: `${channelPrefix}${tenant.id}`,
      message: { v: 1, tenantId: tenant.id, changes: [{ type: 'Lead', id: 'lead-42' }] },
    });
  });
});

describe('the worker program', () => {
  it('a lead created through the API reaches the audit log and the edge cache without anyone asking', async () => {
    await markAllDispatched();
    const config = loadWorkerConfig({
      DATABASE_URL: rt.platform.url,
      REDIS_URL,
      PLATFORM_SECRET_KEY: rt.secretKey.toString('base64'),
      OUTBOX_QUEUE: `e2e-${run}`,
      OUTBOX_QUEUE_PREFIX: prefix,
      OUTBOX_POLL_MS: '100',
      TENANT_REGISTRY_TTL_MS: '0',
    });
    const worker = buildWorker({ config, logger, platformDb: rt.platform.db, channelPrefix });
    closers.push(async () => {
      await worker.queue.obliterate({ force: true });
      await worker.close();
    });
    expect(await worker.ready()).toBe(true);
    published.length = 0;

    const res = await rt.graphql(token, CREATE_LEAD, {
      input: { firstName: 'Sam', lastName: 'Sun', email: 'sam@example.com', source: 'WEB_FORM' },
    });
    const leadId = res.body.data.createLead.lead.id as string;

    await vi.waitFor(
      async () => {
        const [row] = await outboxRows({ entity_id: leadId });
        expect(row!['delivered_at']).not.toBeNull();
      },
      { timeout: 10_000 },
    );
    expect(await tenant.db('audit_log').where({ action: 'lead.created', entity_id: leadId })).toHaveLength(1);

    // an admin reads who changed what: the changed fields before and after, the actor and the request
    const updated = await rt.graphql(
      token,
      `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { lead { id } } }`,
      { id: leadId, input: { city: 'Mesa' } },
    );
    expect(updated.body.errors).toBeUndefined();
    const history = async () =>
      (
        await rt.graphql(
          token,
          `query($id: String!) { accessAuditLog(entityType: "Lead", entityId: $id) { action actorId before after requestId } }`,
          { id: leadId },
        )
      ).body.data.accessAuditLog as Array<{
        action: string;
        actorId: string | null;
        before: string | null;
        after: string | null;
        requestId: string | null;
      }>;
    await vi.waitFor(async () => expect((await history()).map((e) => e.action)).toContain('lead.updated'), {
      timeout: 10_000,
    });
    const [change, creation] = await history();
    expect(change).toMatchObject({ action: 'lead.updated', actorId: expect.any(String) });
    expect(JSON.parse(change!.before!)).toEqual({ city: null });
    expect(JSON.parse(change!.after!)).toEqual({ city: 'Mesa' });
    expect(change!.requestId).toBeTruthy();
    expect(creation!.before).toBeNull();
    expect(JSON.parse(creation!.after!)).toMatchObject({ first_name: 'Sam', email: 'sam@example.com' });
    await vi.waitFor(() =>
      expect(published).toContainEqual({
        channel: `${channelPrefix}${tenant.id}`,
        message: { v: 1, tenantId: tenant.id, changes: [{ type: 'Lead', id: leadId }] },
      }),
    );
  });
});
