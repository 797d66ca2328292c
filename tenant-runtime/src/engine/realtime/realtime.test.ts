import { randomBytes } from 'node:crypto';
import { CHANGE_CHANNEL_PREFIX, createLogger } from '@solar/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadWorkerConfig } from '../../config.js';
import { startSalesOrg, U, type SalesOrg, type Who } from '../../modules/customers/sales-org.fixture.js';
import { buildWorker, type BuiltWorker } from '../../worker/build-worker.js';
import { publishChanges } from '../events/change-publisher.js';

/*
 * Subscriptions end to end: a mutation through the API → outbox → the real worker → Redis change channel →
 * the runtime's change feed → re-read under each subscriber's row scope → Server-Sent Events over HTTP.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(5).toString('hex');
const logger = createLogger('realtime-test', 'silent');

let org: SalesOrg;
let worker: BuiltWorker;
let redis: Redis;
const streams: Stream[] = [];

interface SseEvent {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  data: any;
}

interface Stream {
  status: number;
  headers: Headers;
  contentType: string | null;
  events: SseEvent[];
  /** every byte received so far, as text */
  raw(): string;
  close(): void;
}

async function subscribe(
  who: Who,
  query: string,
  variables: Record<string, unknown> = {},
  method: 'POST' | 'GET' = 'POST',
): Promise<Stream> {
  const token = await org.rt.tokenFor(org.tenant, { sub: U[who] });
  const abort = new AbortController();
  const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  const res =
    method === 'GET'
      ? await fetch(
          `${org.rt.url}/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`,
          { headers, signal: abort.signal },
        )
      : await fetch(`${org.rt.url}/graphql`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
          signal: abort.signal,
        });
  const events: SseEvent[] = [];
  let raw = '';
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const text = decoder.decode(value, { stream: true });
        raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: ?(.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  const stream = {
    status: res.status,
    headers: res.headers,
    contentType: res.headers.get('content-type'),
    events,
    raw: () => raw,
    close: () => abort.abort(),
  };
  streams.push(stream);
  return stream;
}

const listeners = () => org.rt.runtime.changeFeed.listenerCount(org.tenant.id);
/** Subscriptions listen asynchronously: wait until the feed has `n` listeners for the tenant. */
const listening = (n: number) =>
  vi.waitFor(() => expect(org.rt.runtime.changeFeed.listenerCount(org.tenant.id)).toBe(n), {
    timeout: 5_000,
  });

/** Waits until every event about `id` went through the worker, so only later changes reach a new stream. */
const settled = (id: string) =>
  vi.waitFor(
    async () =>
      expect(await org.tenant.db('outbox').where({ entity_id: id }).whereNull('delivered_at')).toEqual([]),
    { timeout: 10_000 },
  );

const changes = (s: Stream) =>
  s.events
    .filter((e) => e.event === 'next')
    .map((e) => e.data.data?.recordsChanged ?? e.data.data?.recordChanged);

const LEADS = /* GraphQL */ `
  subscription ($showing: [ID!]) {
    recordsChanged(type: LEAD, showing: $showing) {
      type
      id
      kind
      event
      changedAt
      actorId
      record {
        ... on Lead {
          id
          firstName
          status
          owner {
            id
            displayName
          }
        }
      }
    }
  }
`;
const ONE = /* GraphQL */ `
  subscription ($id: ID!) {
    recordChanged(type: LEAD, id: $id) {
      id
      kind
      actorId
      record {
        ... on Lead {
          id
          firstName
        }
      }
    }
  }
`;

async function createLead(who: Who, firstName: string): Promise<string> {
  const data = await org.ok(
    who,
    `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`,
    { input: { firstName, lastName: 'Sun', source: 'WEB_FORM' } },
  );
  return data.createLead.lead.id as string;
}
const rename = (who: Who, id: string, firstName: string) =>
  org.ok(who, `mutation($id: ID!, $i: UpdateLeadInput!) { updateLead(id: $id, input: $i) { lead { id } } }`, {
    id,
    i: { firstName },
  });

beforeAll(async () => {
  org = await startSalesOrg();
  redis = new Redis(REDIS_URL);
  const config = loadWorkerConfig({
    DATABASE_URL: org.rt.platform.url,
    REDIS_URL,
    PLATFORM_SECRET_KEY: org.rt.secretKey.toString('base64'),
    OUTBOX_QUEUE: `realtime-${run}`,
    OUTBOX_QUEUE_PREFIX: `test:${run}:bull`,
    OUTBOX_POLL_MS: '100',
    TENANT_REGISTRY_TTL_MS: '0',
  });
  worker = buildWorker({ config, logger, platformDb: org.rt.platform.db });
}, 60_000);

afterAll(async () => {
  for (const s of streams) s.close();
  await worker?.queue.obliterate({ force: true });
  await worker?.close();
  redis?.disconnect();
  await org?.close();
});

describe('recordsChanged: list screens', () => {
  it("a rep hears about their own lead, never about another team's; the branch manager hears both", async () => {
    const rep1 = await subscribe('rep1', LEADS);
    const mgr = await subscribe('mgr', LEADS);
    expect(rep1.status).toBe(200);
    expect(rep1.contentType).toMatch(/^text\/event-stream/);
    await listening(2);

    const other = await createLead('rep2', 'Other');
    const own = await createLead('rep1', 'Own');

    await vi.waitFor(() => expect(changes(rep1).map((c) => c.id)).toContain(own), { timeout: 10_000 });
    await vi.waitFor(
      () => expect(changes(mgr).map((c) => c.id)).toEqual(expect.arrayContaining([own, other])),
      {
        timeout: 10_000,
      },
    );
    const mine = changes(rep1).find((c) => c.id === own);
    expect(mine).toMatchObject({
      type: 'LEAD',
      kind: 'CREATED',
      event: 'lead.created',
      actorId: U.rep1,
      record: { id: own, firstName: 'Own', owner: { id: U.rep1 } },
    });
    expect(Date.parse(mine.changedAt)).not.toBeNaN();

    // the manager's stream saw rep2's change; rep1's listener got the same message at the same moment
    await new Promise((r) => setTimeout(r, 300));
    expect(changes(rep1).map((c) => c.id)).toEqual([own]);
    expect(rep1.raw()).not.toContain(other);
  });

  it('an update arrives with the record as it is now; a burst of changes is read and sent once', async () => {
    const id = await createLead('rep1', 'Burst');
    await settled(id);
    const before = listeners();
    const one = await subscribe('rep1', ONE, { id });
    await listening(before + 1);
    await rename('rep1', id, 'Burst1');
    await vi.waitFor(
      () =>
        expect(changes(one)).toEqual([
          { id, kind: 'UPDATED', actorId: U.rep1, record: { id, firstName: 'Burst1' } },
        ]),
      { timeout: 10_000 },
    );
    // five announcements within a few milliseconds (as a busy worker publishes them): one read, one event
    for (let i = 0; i < 5; i++) await publishChanges(redis, org.tenant.id, [{ type: 'Lead', id }]);
    await vi.waitFor(() => expect(changes(one)).toHaveLength(2), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(changes(one)).toHaveLength(2);
    one.close();
    await listening(before);
  });

  it('a lead reassigned out of scope is REMOVED for a rep who saw it, without its new owner', async () => {
    const id = await createLead('rep1', 'Leaving');
    await settled(id);
    const before = listeners();
    const list = await subscribe('rep1', LEADS, { showing: [id] });
    const one = await subscribe('rep1', ONE, { id });
    await listening(before + 2);

    await org.ok(
      'admin',
      `mutation($id: ID!, $i: AssignLeadInput!) { assignLead(id: $id, input: $i) { lead { id } } }`,
      {
        id,
        i: { ownerId: U.rep3, unitId: org.units.tucA },
      },
    );

    for (const s of [list, one])
      await vi.waitFor(() => expect(changes(s).find((c) => c.id === id)).toMatchObject({ kind: 'REMOVED' }), {
        timeout: 10_000,
      });
    expect(changes(one)).toEqual([{ id, kind: 'REMOVED', actorId: null, record: null }]);
    expect(changes(list).find((c) => c.id === id)).toMatchObject({
      record: null,
      actorId: null,
      event: null,
    });
    for (const s of [list, one]) {
      expect(s.raw()).not.toContain(U.rep3);
      expect(s.raw()).not.toContain(org.units.tucA);
    }

    // further changes to the now hidden lead say nothing at all
    const sent = changes(list).length;
    await org.ok(
      'admin',
      `mutation($id: ID!, $i: UpdateLeadInput!) { updateLead(id: $id, input: $i) { lead { id } } }`,
      {
        id,
        i: { firstName: 'Gone' },
      },
    );
    const witness = await createLead('rep1', 'Witness');
    await vi.waitFor(() => expect(changes(list).map((c) => c.id)).toContain(witness), { timeout: 10_000 });
    expect(
      changes(list)
        .slice(sent)
        .map((c) => c.id),
    ).toEqual([witness]);
    expect(changes(one)).toHaveLength(1);
  });

  it("a hidden lead's change is never reported as REMOVED to a viewer who never saw it", async () => {
    const hidden = await createLead('rep2', 'Hidden');
    await settled(hidden);
    const before = listeners();
    const one = await subscribe('rep1', ONE, { id: hidden });
    const list = await subscribe('rep1', LEADS, { showing: [hidden] });
    const mgr = await subscribe('mgr', ONE, { id: hidden });
    await listening(before + 3);
    await org.ok(
      'admin',
      `mutation($id: ID!, $i: AssignLeadInput!) { assignLead(id: $id, input: $i) { lead { id } } }`,
      {
        id: hidden,
        i: { ownerId: U.rep3, unitId: org.units.tucA },
      },
    );
    // the manager, who saw it, is told it left; rep1, who never could see it, hears nothing
    await vi.waitFor(
      () => expect(changes(mgr)).toEqual([{ id: hidden, kind: 'REMOVED', actorId: null, record: null }]),
      {
        timeout: 10_000,
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(changes(one)).toEqual([]);
    expect(changes(list)).toEqual([]);
    expect(one.raw() + list.raw()).not.toContain(hidden);
  });
});

describe('the stream itself', () => {
  it('disconnecting releases the listener and, with the last one, the Redis subscription', async () => {
    const channel = `${CHANGE_CHANNEL_PREFIX}${org.tenant.id}`;
    for (const s of streams.splice(0)) s.close();
    await listening(0);
    await vi.waitFor(async () => expect(await redis.call('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 0]));

    const s = await subscribe('rep1', LEADS);
    await listening(1);
    expect(await redis.call('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 1]);
    s.close();
    await listening(0);
    await vi.waitFor(async () => expect(await redis.call('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 0]));
  });

  it('events use the GraphQL-over-SSE format (event: next / data: {…}), over POST and GET alike', async () => {
    const post = await subscribe('rep1', LEADS);
    const get = await subscribe('rep1', LEADS, {}, 'GET');
    await listening(2);
    const id = await createLead('rep1', 'Format');
    for (const s of [post, get]) {
      expect(s.status).toBe(200);
      expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(s.headers.get('cache-control')).toBe('no-cache');
      expect(s.headers.get('x-accel-buffering')).toBe('no');
      expect(s.headers.get('content-encoding')).toBeNull();
      await vi.waitFor(() => expect(s.raw()).toContain(id), { timeout: 10_000 });
      // a comment line (":") opens the stream at once, then one event per change
      expect(s.raw()).toMatch(/^:\n\n/);
      expect(s.raw()).toMatch(/event: next\ndata: \{"data":\{"recordsChanged":\{"type":"LEAD","id":"[^"]+"/);
      s.close();
    }
    await listening(0);
  });

  it('a role revoked mid-subscription applies to the next change', async () => {
    const mgr = await subscribe('mgr', LEADS);
    await listening(1);
    const theirs = await createLead('rep2', 'BeforeRevoke');
    await vi.waitFor(() => expect(changes(mgr).map((c) => c.id)).toContain(theirs), { timeout: 10_000 });

    await org.ok('admin', `mutation($i: RoleGrantInput!) { revokeRole(input: $i) }`, {
      i: { memberId: U.mgr, roleId: 'sales_manager' },
    });
    await rename('rep2', theirs, 'AfterRevoke');
    // the manager saw it, may no longer: told it left, without its new state
    await vi.waitFor(
      () =>
        expect(changes(mgr).at(-1)).toEqual(
          expect.objectContaining({ id: theirs, kind: 'REMOVED', record: null }),
        ),
      { timeout: 10_000 },
    );
    expect(mgr.raw()).not.toContain('AfterRevoke');
    await org.ok('admin', `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
      i: { memberId: U.mgr, roleId: 'sales_manager' },
    });
    mgr.close();
    await listening(0);
  });

  it('a member disabled mid-subscription: the stream completes', async () => {
    const s = await subscribe('rep3', LEADS);
    await listening(1);
    await org.ok('admin', `mutation($id: ID!) { setMemberStatus(id: $id, status: DISABLED) { id } }`, {
      id: U.rep3,
    });
    await createLead('rep1', 'AfterDisable');
    await vi.waitFor(() => expect(s.events.map((e) => e.event)).toEqual(['complete']), { timeout: 10_000 });
    await listening(0);
  });

  it('an unknown record type is a GraphQL validation error, and nothing listens', async () => {
    const s = await subscribe('rep1', `subscription { recordsChanged(type: BOGUS) { id } }`);
    expect(s.status).toBe(400);
    await vi.waitFor(() => expect(s.events.length).toBeGreaterThan(0));
    const errors = s.events[0]!.data.errors as Array<{ message: string }>;
    expect(errors[0]!.message).toMatch(/RecordType/);
    expect(org.rt.runtime.changeFeed.listenerCount(org.tenant.id)).toBe(0);
  });

  it('armor limits apply to subscription documents too', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    const s = await subscribe('rep1', `subscription { recordsChanged(type: LEAD) { ${aliases} } }`);
    await vi.waitFor(() => expect(s.events.length).toBeGreaterThan(0));
    expect(JSON.stringify(s.events[0]!.data.errors)).toMatch(/aliases/i);
    expect(org.rt.runtime.changeFeed.listenerCount(org.tenant.id)).toBe(0);
  });
});
