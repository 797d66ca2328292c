import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@solar/common';
import dns2 from 'dns2';
import { request } from 'undici';
import { bodyLimit } from '../http/body-limit.js';
import { errorHandler } from '../http/error-handler.js';
import { createKoa } from '../http/koa.js';
import { requestId } from '../http/request-id.js';
import { requestLog } from '../http/request-log.js';
import { PLATFORM_GRAPHQL_PATH, platformGraphql } from '../platform-graphql/platform-graphql.js';
import type { TenantDriver } from '../platform-graphql/tenant-driver.js';
import { deriveAccessTokenKey } from '../sessions/access-token.js';
import { authenticate } from '../sessions/authenticate.js';
import { resolveTenant } from '../tenancy/resolve-tenant.js';
import type { Harness, TestTenant } from '../testing/platform-api-harness.js';
import { createTxtLookup } from './txt-lookup.js';

const { Packet } = dns2;

/** A real DNS server on 127.0.0.1 answering TXT questions from `records` (name → values); others: none. */
export interface TxtDnsServer {
  server: string;
  records: Map<string, string[]>;
  /** answer SERVFAIL to everything (a broken or unreachable zone) */
  failing: boolean;
  close(): Promise<void>;
}

export async function startTxtDnsServer(): Promise<TxtDnsServer> {
  const state = { failing: false };
  const records = new Map<string, string[]>();
  const dns = dns2.createServer({
    udp: true,
    handle: (req, send) => {
      const res = Packet.createResponseFromRequest(req);
      const question = req.questions[0];
      if (state.failing) {
        (res.header as { rcode: number }).rcode = 2; // SERVFAIL
      } else if (question && question.type === Packet.TYPE.TXT) {
        for (const value of records.get(question.name.toLowerCase()) ?? []) {
          const answer = {
            name: question.name,
            type: Packet.TYPE.TXT,
            class: Packet.CLASS.IN,
            ttl: 1,
            data: value,
          };
          // dns2 encodes plain records; its types insist on a Resource instance
          res.answers.push(answer as unknown as (typeof res.answers)[number]);
        }
      }
      send(res);
    },
  });
  await dns.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const { port } = (dns.addresses() as { udp: AddressInfo }).udp;
  return {
    server: `127.0.0.1:${port}`,
    records,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () => dns.close(),
  };
}

export interface GqlAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; fields?: Record<string, string[]> } }>;
}

/** Signup is not what these tests are about: the driver is never called. */
const unusedDriver: TenantDriver = {
  apply: () => Promise.reject(new Error('not used here')),
  delete: () => Promise.reject(new Error('not used here')),
  get: () => Promise.reject(new Error('not used here')),
};

/**
 * The platform GraphQL behind the middleware app.ts puts before it, verifying domains against `dnsServer`;
 * `gql` calls it as a tenant member (access token) on the tenant's host.
 */
export async function startSettingsGraphql(harness: Harness, dnsServer: string) {
  const { config, platform } = harness;
  const app = createKoa({ proxy: false });
  app.silent = true;
  app.use(requestId());
  app.use(requestLog(createLogger('routing-settings-test', 'silent')));
  app.use(errorHandler());
  app.use(bodyLimit(config.MAX_BODY_BYTES));
  app.use(resolveTenant(harness.api.registry, config.BASE_DOMAIN));
  app.use(
    authenticate({
      db: platform.db,
      accessKey: deriveAccessTokenKey(config.PLATFORM_SECRET_KEY),
      cookieSecure: false,
      ttlHours: config.SESSION_TTL_HOURS,
      maxDays: config.SESSION_MAX_DAYS,
    }),
  );
  app.use(
    platformGraphql({
      db: platform.db,
      driver: unusedDriver,
      platformSecretKey: config.PLATFORM_SECRET_KEY,
      baseDomain: config.BASE_DOMAIN,
      secure: false,
      txtLookup: createTxtLookup({ servers: [dnsServer], timeoutMs: 500 }),
    }),
  );
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PLATFORM_GRAPHQL_PATH}`;
  return {
    async gql<T>(tenant: TestTenant, token: string, query: string): Promise<GqlAnswer<T>> {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, host: tenant.host },
        body: JSON.stringify({ query }),
      });
      return (await res.body.json()) as GqlAnswer<T>;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tenant with an owner (as signup leaves it), signed in. */
export async function addOwnedTenant(harness: Harness, slug: string, endpoint: string | null = null) {
  const tenant = await harness.addTenant({ slug, endpoint });
  const email = `owner@${slug}.test`;
  const owner = await harness.addIdentity(tenant, email, 'correct horse battery');
  await harness.platform.db('tenants').where({ id: tenant.id }).update({ owner_identity_id: owner.id });
  const token = await harness.signIn(tenant, email, 'correct horse battery');
  return { tenant, owner, token, email };
}
