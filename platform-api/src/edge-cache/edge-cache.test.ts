import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
let ben: Viewer; // acme, another user
let bea: Viewer; // bolt

beforeAll(async () => {
  fx = await startEdgeFixture();
  const acme = await fx.addTenant('acme');
  const bolt = await fx.addTenant('bolt');
  ana = await fx.addViewer(acme, 'ana@acme.test');
  ben = await fx.addViewer(acme, 'ben@acme.test');
  bea = await fx.addViewer(bolt, 'bea@bolt.test');
  door = await fx.startFrontDoor();
  await door.subscriber.subscribed;
});
afterAll(async () => {
  await fx?.close();
});
beforeEach(() => {
  fx.upstreamCalls.length = 0;
});

describe('edge cache', () => {
  it('answers a repeated persisted query from the cache, with an ETag that revalidates to 304', async () => {
    const path = persisted('lead', { id: 'hit-1' });
    const miss = await door.get(ana, path);
    expect(miss.status).toBe(200);
    expect(miss.headers['x-edge-cache']).toBe('MISS');
    expect(miss.headers['cache-control']).toBe('private, max-age=0, must-revalidate');
    expect(miss.headers['vary']).toBe('Cookie, Authorization, X-Tenant, Accept, Origin');
    const etag = miss.headers['etag'] as string;
    expect(etag).toMatch(/^"[\w-]{32}"$/);

    const hit = await door.get(ana, path);
    expect(hit.status).toBe(200);
    expect(hit.headers['x-edge-cache']).toBe('HIT');
    expect(hit.headers['etag']).toBe(etag);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.text).toBe(miss.text);

    const revalidated = await door.get(ana, path, { 'if-none-match': `W/${etag}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers['etag']).toBe(etag);

    const changed = await door.get(ana, path, { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
    expect(changed.text).toBe(miss.text);
    expect(fx.upstreamCalls).toHaveLength(1);
  });

  it('treats the APQ shape and reordered query parameters as the same request', async () => {
    const ext = encodeURIComponent(
      JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }),
    );
    const vars = encodeURIComponent(JSON.stringify({ id: 'apq-1' }));
    const first = await door.get(ana, `/graphql?extensions=${ext}&variables=${vars}&id=lead`);
    const second = await door.get(ana, `/graphql?variables=${vars}&id=lead&extensions=${ext}`);
    expect([first.headers['x-edge-cache'], second.headers['x-edge-cache']]).toEqual(['MISS', 'HIT']);
    expect(fx.upstreamCalls).toHaveLength(1);
  });

  it("never serves tenant A's cached answer on tenant B, for the same path and query", async () => {
    const path = persisted('lead', { id: 'shared-1' });
    const a = await door.get(ana, path);
    expect(JSON.parse(a.text).data.lead.tenant).toBe(ana.tenantId);
    expect((await door.get(ana, path)).headers['x-edge-cache']).toBe('HIT');

    const b = await door.get(bea, path);
    expect(b.headers['x-edge-cache']).toBe('MISS');
    expect(JSON.parse(b.text).data.lead.tenant).toBe(bea.tenantId);
    // A's session presented on B's host is no session there: not cached, refused by the route
    const crossed = await door.get(ana, path, {}, bea.host);
    expect(crossed.status).toBe(401);
    expect(crossed.text).not.toContain(ana.tenantId);
  });

  it('keeps tenants apart even when their viewers share a scope key (e.g. "admin sees all" in both)', async () => {
    const sameEverywhere = await fx.startFrontDoor({ viewerScope: () => 'scope:all' });
    await sameEverywhere.subscriber.subscribed;
    const path = persisted('lead', { id: 'shared-scope-1' });
    await sameEverywhere.get(ana, path);
    expect((await sameEverywhere.get(ben, path)).headers['x-edge-cache']).toBe('HIT'); // same tenant, same scope
    const b = await sameEverywhere.get(bea, path);
    expect(b.headers['x-edge-cache']).toBe('MISS');
    expect(JSON.parse(b.text).data.lead.tenant).toBe(bea.tenantId);
    await sameEverywhere.close();
  });

  it('keeps separate entries for viewers with different scope keys', async () => {
    const path = persisted('lead', { id: 'viewers-1' });
    const forAna = await door.get(ana, path);
    const forBen = await door.get(ben, path);
    expect(forBen.headers['x-edge-cache']).toBe('MISS');
    expect(JSON.parse(forBen.text).data.lead.user).not.toBe(JSON.parse(forAna.text).data.lead.user);
    expect((await door.get(ben, path)).text).toBe(forBen.text);
    expect(fx.upstreamCalls).toHaveLength(2);
  });

  it('never answers an unauthenticated request from the cache', async () => {
    const path = persisted('lead', { id: 'anon-1' });
    await door.get(ana, path);
    const anonymous = await door.get(null, path, {}, ana.host);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-edge-cache']).toBeUndefined();
  });

  it('caches REST GETs under /api/v1 by the tags the upstream names, and hides the tag header', async () => {
    const first = await door.get(ana, '/api/v1/leads/rest-1');
    const second = await door.get(ana, '/api/v1/leads/rest-1');
    expect([first.headers['x-edge-cache'], second.headers['x-edge-cache']]).toEqual(['MISS', 'HIT']);
    expect(first.headers['x-cache-tags']).toBeUndefined();
    expect(JSON.parse(second.text)).toEqual({ id: 'rest-1', tenant: ana.tenantId, user: expect.any(String) });
  });

  it('never caches answers with GraphQL errors, no-store, or a non-200 status', async () => {
    const uncacheable = [persisted('failing'), persisted('private'), '/api/v1/broken', persisted('nope')];
    for (const path of uncacheable) {
      const first = await door.get(ana, path);
      const second = await door.get(ana, path);
      expect(second.headers['x-edge-cache'], path).toBe('BYPASS');
      expect(second.headers['etag'], path).toBeUndefined();
      expect(first.text, path).toBe(second.text);
    }
    expect(fx.upstreamCalls).toHaveLength(uncacheable.length * 2);
  });

  it("never passes the runtime's Set-Cookie on, cached or not", async () => {
    const first = await door.get(ana, '/api/v1/cookie');
    const second = await door.get(ana, '/api/v1/cookie');
    expect([first.headers['set-cookie'], second.headers['set-cookie']]).toEqual([undefined, undefined]);
    expect(second.headers['x-edge-cache']).toBe('HIT');
  });

  it('never caches or buffers an event stream', async () => {
    const stream = await door.get(ana, '/api/v1/leads/sse-1', { accept: 'text/event-stream' });
    expect(stream.headers['x-edge-cache']).toBeUndefined();
    const again = await door.get(ana, '/api/v1/leads/sse-1', { accept: 'text/event-stream' });
    expect(again.headers['x-edge-cache']).toBeUndefined();
    expect(fx.upstreamCalls).toHaveLength(2);
  });

  it('does not cache ad-hoc (non-persisted) GraphQL GETs or POSTs', async () => {
    await door.get(ana, '/graphql?query=%7Bviewer%7Bid%7D%7D');
    const again = await door.get(ana, '/graphql?query=%7Bviewer%7Bid%7D%7D');
    expect(again.headers['x-edge-cache']).toBeUndefined();
  });

  it('goes to the upstream again when the client asks with Cache-Control: no-cache', async () => {
    const path = persisted('lead', { id: 'nocache-1' });
    await door.get(ana, path);
    const fresh = await door.get(ana, path, { 'cache-control': 'no-cache' });
    expect(fresh.headers['x-edge-cache']).toBe('MISS');
    expect(fx.upstreamCalls).toHaveLength(2);
  });
});
