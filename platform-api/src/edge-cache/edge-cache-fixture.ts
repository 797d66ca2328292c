import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  generateInternalKeys,
  importInternalKey,
  verifyInternalToken,
  type InternalClaims,
} from '@solar/common';
import { pino, type Logger } from 'pino';
import { request } from 'undici';
import { errorHandler } from '../http/error-handler.js';
import { createKoa } from '../http/koa.js';
import { requestId } from '../http/request-id.js';
import { requestLog } from '../http/request-log.js';
import { createIdentity } from '../identity/create-identity.js';
import { createCallerLiveness } from '../proxy/caller-liveness.js';
import { createForwarder } from '../proxy/forward-to-runtime.js';
import { createRuntimeBreakers } from '../proxy/runtime-breakers.js';
import { runtimeRoutes } from '../proxy/runtime-routes.js';
import { createUpstreamPools, type UpstreamPools } from '../proxy/upstream-pools.js';
import { connectRedis, type Redis } from '../redis/redis-client.js';
import { deriveAccessTokenKey } from '../sessions/access-token.js';
import { authenticate } from '../sessions/authenticate.js';
import { createSession } from '../sessions/session-store.js';
import { resolveTenant } from '../tenancy/resolve-tenant.js';
import { createTenantRegistry } from '../tenancy/tenant-registry.js';
import { createTestPlatformDb, type TestPlatformDb } from '../testing/platform-db.js';
import { startChangeSubscriber, type ChangeSubscriber } from './change-subscriber.js';
import { createEdgeCacheStore, type EdgeCacheStore } from './cache-store.js';
import { edgeCache } from './edge-cache.js';
import { CACHE_TAGS_HEADER } from './response-tags.js';
import type { ViewerScope } from './viewer-scope.js';

/**
 * Test bench for the edge cache: the real front-door chain (tenant resolution, session authentication,
 * the /graphql and /api/v1 proxy) with the edge cache mounted before the routes, in front of a real HTTP
 * upstream that answers from the verified internal token, so a test sees whose answer it got.
 */
const BASE_DOMAIN = 'edge.test';
const SECRET = randomBytes(32).toString('base64');

export interface UpstreamCall {
  url: string;
  claims: InternalClaims | null;
}

export interface Viewer {
  tenantId: string;
  host: string;
  cookie: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface EdgeFixture {
  platform: TestPlatformDb;
  keyPrefix: string;
  channelPrefix: string;
  upstreamCalls: UpstreamCall[];
  addTenant(slug: string): Promise<{ id: string; host: string }>;
  addViewer(tenant: { id: string; host: string }, email: string): Promise<Viewer>;
  /** A front door with the edge cache on `redisUrl`, its logs collected in `logs`. */
  startFrontDoor(options?: { redisUrl?: string; viewerScope?: ViewerScope }): Promise<FrontDoor>;
  close(): Promise<void>;
}

export interface FrontDoor {
  url: string;
  redis: Redis;
  store: EdgeCacheStore;
  subscriber: ChangeSubscriber;
  logs: Array<{ level: number; msg: string } & Record<string, unknown>>;
  get(viewer: Viewer | null, path: string, headers?: Record<string, string>, host?: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startEdgeFixture(): Promise<EdgeFixture> {
  const platform = await createTestPlatformDb();
  const keys = await generateInternalKeys();
  const privateKey = await importInternalKey(keys.privateJwk);
  const publicKey = await importInternalKey(keys.publicJwk);
  const upstreamCalls: UpstreamCall[] = [];
  const upstream = await startUpstream(upstreamCalls, (token) =>
    verifyInternalToken(token, publicKey).catch(() => null),
  );
  const keyPrefix = `test:${platform.name}:`;
  const channelPrefix = `${keyPrefix}changes:`;
  const doors: FrontDoor[] = [];
  const pools: UpstreamPools = createUpstreamPools({ timeoutMs: 5_000 });

  const fixture: EdgeFixture = {
    platform,
    keyPrefix,
    channelPrefix,
    upstreamCalls,
    async addTenant(slug) {
      const id = randomBytes(6).toString('hex');
      await platform.db('tenants').insert({
        id,
        slug,
        display_name: slug,
        phase: 'Ready',
        endpoint: upstream.url,
        suspended: false,
      });
      return { id, host: `${slug}.${BASE_DOMAIN}` };
    },
    async addViewer(tenant, email) {
      const identity = await createIdentity(platform.db, {
        tenantId: tenant.id,
        email,
        displayName: email.split('@')[0]!,
        password: 'correct horse battery staple',
      });
      const session = await createSession(platform.db, {
        identityId: identity.id,
        tenantId: tenant.id,
        ttlHours: 12,
      });
      return { tenantId: tenant.id, host: tenant.host, cookie: `solar_session=${session.token}` };
    },
    async startFrontDoor({ redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', viewerScope } = {}) {
      const logs: FrontDoor['logs'] = [];
      const logger = pino(
        { level: 'debug' },
        new Writable({
          write(chunk: Buffer, _enc, done) {
            logs.push(JSON.parse(chunk.toString('utf8')) as FrontDoor['logs'][number]);
            done();
          },
        }),
      ) as Logger;
      const redis = connectRedis(redisUrl, logger);
      const store = createEdgeCacheStore({ client: redis.client, keyPrefix, ttlSeconds: 60 });
      const subscriber = startChangeSubscriber({ redis, store, logger, channelPrefix });
      const app = createKoa({ proxy: false });
      app.silent = true;
      app.use(requestId());
      app.use(requestLog(logger));
      app.use(errorHandler());
      app.use(resolveTenant(createTenantRegistry(platform.db, { ttlMs: 0 }), BASE_DOMAIN));
      app.use(
        authenticate({
          db: platform.db,
          accessKey: deriveAccessTokenKey(SECRET),
          cookieSecure: false,
          ttlHours: 12,
          maxDays: 30,
        }),
      );
      app.use(edgeCache({ store, redis, logger, ...(viewerScope ? { viewerScope } : {}) }));
      const forward = createForwarder({
        pools,
        internalKey: privateKey,
        timeoutMs: 5_000,
        breakers: createRuntimeBreakers(
          { errorPercent: 50, minRequests: 10, windowMs: 10_000, resetMs: 10_000 },
          { retries: 0, delayMs: 0 },
        ),
        liveness: createCallerLiveness(platform.db, 1_000),
        eventStreams: { heartbeatMs: 15_000, maxDurationMs: 60_000 },
        alsoReturned: [CACHE_TAGS_HEADER],
      });
      app.use(runtimeRoutes({ forward }).routes());
      const server = await listen(createServer(app.callback()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const door: FrontDoor = {
        url,
        redis,
        store,
        subscriber,
        logs,
        async get(viewer, path, headers = {}, host) {
          const res = await request(`${url}${path}`, {
            headers: {
              host: host ?? viewer?.host ?? `nobody.${BASE_DOMAIN}`,
              ...(viewer ? { cookie: viewer.cookie } : {}),
              ...headers,
            },
          });
          return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
        },
        async close() {
          await subscriber.close();
          await redis.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
      doors.push(door);
      return door;
    },
    async close() {
      for (const door of doors) await door.close();
      await pools.close();
      upstream.server.closeAllConnections();
      await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
      await platform.drop();
    },
  };
  return fixture;
}

/**
 * The upstream runtime stand-in. GraphQL persisted operations by id: `lead` (one Lead, `variables.id`),
 * `leads` (a list), `failing` (200, partial data with errors), `private` (Cache-Control: no-store). REST:
 * /api/v1/leads/<id> (tagged by header), /api/v1/cookie (Set-Cookie), /api/v1/broken (500).
 * Every answer names the tenant and user the internal token speaks for.
 */
async function startUpstream(
  calls: UpstreamCall[],
  verify: (token: string) => Promise<InternalClaims | null>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const claims = await verify(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      calls.push({ url: req.url ?? '', claims });
      const url = new URL(req.url ?? '/', 'http://upstream');
      const who = { tenant: claims?.tid, user: claims?.sub };
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
          .end(JSON.stringify(body));
      if (!claims) return json(401, { errors: [{ message: 'bad token' }] });
      if (url.pathname === '/graphql') {
        const op = url.searchParams.get('id');
        const variables = JSON.parse(url.searchParams.get('variables') ?? '{}') as { id?: string };
        if (op === 'lead')
          return json(200, { data: { lead: { __typename: 'Lead', id: variables.id, ...who } } });
        if (op === 'leads')
          return json(200, {
            data: {
              leads: {
                edges: ['123', '456'].map((id) => ({ node: { __typename: 'Lead', id, ...who } })),
              },
            },
          });
        // partial data: the lead is there and tagged, but a field failed
        if (op === 'failing')
          return json(200, {
            data: { lead: { __typename: 'Lead', id: 'f', ...who } },
            errors: [{ message: 'boom', path: ['lead', 'owner'] }],
          });
        if (op === 'private')
          return json(
            200,
            { data: { lead: { __typename: 'Lead', id: '1', ...who } } },
            { 'cache-control': 'no-store' },
          );
        return json(400, { errors: [{ message: 'unknown operation' }] });
      }
      const lead = /^\/api\/v1\/leads\/([\w-]+)$/.exec(url.pathname);
      if (lead) return json(200, { id: lead[1], ...who }, { 'x-cache-tags': `Lead:${lead[1]}` });
      if (url.pathname === '/api/v1/cookie')
        return json(200, { id: 'c', ...who }, { 'x-cache-tags': 'Lead:c', 'set-cookie': 'tracking=1' });
      if (url.pathname === '/api/v1/broken')
        return json(500, { error: 'broken' }, { 'x-cache-tags': 'Lead:b' });
      return json(404, { error: 'not found' });
    })();
  });
  await listen(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** GraphQL GET path for a persisted operation id with variables. */
export const persisted = (id: string, variables: Record<string, unknown> = {}) =>
  `/graphql?id=${id}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
