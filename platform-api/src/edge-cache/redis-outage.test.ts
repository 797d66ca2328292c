import { createServer, Socket, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { persisted, startEdgeFixture, type EdgeFixture, type Viewer } from './edge-cache-fixture.js';

let fx: EdgeFixture;
let ana: Viewer;

beforeAll(async () => {
  fx = await startEdgeFixture();
  ana = await fx.addViewer(await fx.addTenant('acme'), 'ana@acme.test');
});
afterAll(async () => {
  await fx?.close();
});

const outageWarnings = (logs: Array<{ msg: string }>) =>
  logs.filter((l) => l.msg === 'edge cache: redis unavailable, serving without cache');

/** A TCP hop to the real Redis that the test can cut and restore on the same port. */
async function redisHop(): Promise<{
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}> {
  const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new Socket().connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  await open();
  return { url: `redis://127.0.0.1:${port}`, cut: shut, restore: open, close: shut };
}

describe('edge cache without Redis', () => {
  it('serves every request from the upstream when Redis cannot be reached, and logs it once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const door = await fx.startFrontDoor({ redisUrl: `redis://127.0.0.1:${port}` });
    fx.upstreamCalls.length = 0;
    const path = persisted('lead', { id: 'down-1' });
    for (let i = 0; i < 5; i++) {
      const res = await door.get(ana, path);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).data.lead.id).toBe('down-1');
      expect(res.headers['x-edge-cache']).toBe('BYPASS');
    }
    expect(fx.upstreamCalls).toHaveLength(5);
    expect(outageWarnings(door.logs)).toHaveLength(1);
    await door.close();
  });

  it('keeps serving through an outage that starts mid-way, and uses the cache again once Redis returns', async () => {
    const hop = await redisHop();
    const door = await fx.startFrontDoor({ redisUrl: hop.url });
    await door.subscriber.subscribed;
    const path = persisted('lead', { id: 'flaky-1' });
    await door.get(ana, path);
    expect((await door.get(ana, path)).headers['x-edge-cache']).toBe('HIT');

    await hop.cut();
    for (let i = 0; i < 5; i++) {
      const res = await door.get(ana, path);
      expect(res.status).toBe(200);
      expect(res.headers['x-edge-cache']).toBe('BYPASS');
    }
    expect(outageWarnings(door.logs)).toHaveLength(1);

    await hop.restore();
    await vi.waitFor(
      async () => {
        await door.get(ana, path);
        expect((await door.get(ana, path)).headers['x-edge-cache']).toBe('HIT');
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(door.logs.some((l) => l.msg === 'edge cache: redis reachable again')).toBe(true);
    expect(outageWarnings(door.logs)).toHaveLength(1);
    await door.close();
    await hop.close();
  });
});
