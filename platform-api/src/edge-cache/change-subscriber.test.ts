import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  persisted,
  startEdgeFixture,
  type EdgeFixture,
  type FrontDoor,
  type Viewer,
} from './edge-cache-fixture.js';

let fx: EdgeFixture;
let door: FrontDoor;
let ana: Viewer; // acme
let bea: Viewer; // bolt
const publisher = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });

beforeAll(async () => {
  fx = await startEdgeFixture();
  ana = await fx.addViewer(await fx.addTenant('acme'), 'ana@acme.test');
  bea = await fx.addViewer(await fx.addTenant('bolt'), 'bea@bolt.test');
  door = await fx.startFrontDoor();
  await door.subscriber.subscribed;
  await publisher.connect();
});
afterAll(async () => {
  await publisher.close();
  await fx?.close();
});

const publish = (tenantId: string, message: unknown) =>
  publisher.publish(
    `${fx.channelPrefix}${tenantId}`,
    typeof message === 'string' ? message : JSON.stringify(message),
  );
const cacheState = async (viewer: Viewer, path: string) =>
  (await door.get(viewer, path)).headers['x-edge-cache'];

describe('invalidation by change events', () => {
  it("a change to tenant A's Lead:123 drops A's entries tagged with it, and nothing of B's", async () => {
    const lead123 = persisted('lead', { id: '123' });
    const lead789 = persisted('lead', { id: '789' });
    const list = persisted('leads'); // holds Lead:123 and Lead:456, so tagged Lead:* too
    for (const viewer of [ana, bea])
      for (const path of [lead123, lead789, list]) await door.get(viewer, path);
    for (const viewer of [ana, bea])
      for (const path of [lead123, lead789, list]) expect(await cacheState(viewer, path)).toBe('HIT');

    await publish(ana.tenantId, { v: 1, tenantId: ana.tenantId, changes: [{ type: 'Lead', id: '123' }] });

    await vi.waitFor(async () => expect(await cacheState(ana, lead123)).toBe('MISS'), { timeout: 2_000 });
    expect(await cacheState(ana, list)).toBe('MISS'); // a list with leads in it
    expect(await cacheState(ana, lead789)).toBe('HIT'); // another lead, not in a list
    for (const path of [lead123, lead789, list]) expect(await cacheState(bea, path)).toBe('HIT');
  });

  it('a new lead (never cached itself) still drops the lists of its type', async () => {
    const list = persisted('leads', { page: 'new-lead' });
    await door.get(ana, list);
    expect(await cacheState(ana, list)).toBe('HIT');
    await publish(ana.tenantId, {
      v: 1,
      tenantId: ana.tenantId,
      changes: [{ type: 'Lead', id: 'brand-new' }],
    });
    await vi.waitFor(async () => expect(await cacheState(ana, list)).toBe('MISS'), { timeout: 2_000 });
  });

  it('logs and ignores malformed messages, including one naming another tenant than its channel', async () => {
    const path = persisted('lead', { id: 'steady-1' });
    await door.get(ana, path);
    const before = door.logs.length;
    await publish(ana.tenantId, 'not json');
    await publish(ana.tenantId, {
      v: 1,
      tenantId: ana.tenantId,
      changes: [{ type: 'lead; DROP', id: 'steady-1' }],
    });
    await publish(ana.tenantId, {
      v: 1,
      tenantId: bea.tenantId,
      changes: [{ type: 'Lead', id: 'steady-1' }],
    });
    await publish(bea.tenantId, {
      v: 1,
      tenantId: ana.tenantId,
      changes: [{ type: 'Lead', id: 'steady-1' }],
    });
    await vi.waitFor(
      () =>
        expect(
          door.logs.slice(before).filter((l) => l.msg === 'edge cache: malformed change message ignored'),
        ).toHaveLength(4),
      { timeout: 2_000 },
    );
    expect(await cacheState(ana, path)).toBe('HIT');
  });

  it('a fresh subscription flushes what was cached while no one listened', async () => {
    const path = persisted('lead', { id: 'flush-1' });
    await door.get(ana, path);
    expect(await cacheState(ana, path)).toBe('HIT');
    const second = await fx.startFrontDoor();
    await second.subscriber.subscribed;
    expect(await cacheState(ana, path)).toBe('MISS');
    await second.close();
  });
});
