import { randomBytes } from 'node:crypto';
import {
  createDb,
  generateInternalKeys,
  importInternalKey,
  parseKey,
  serve,
  type Knex,
  type Logger,
} from '@solar/common';
import { tenantSso } from '../../../migrations/20261124_030_tenant_sso.js';
import { createApp } from '../../app.js';
import { loadPlatformConfig, type PlatformConfig } from '../../config.js';
import { createUpstreamPools } from '../../proxy/upstream-pools.js';
import { connectRedis } from '../../redis/redis-client.js';
import { createTenantRegistry } from '../../tenancy/tenant-registry.js';
import { createTestPlatformDb, type TestPlatformDb } from '../../testing/platform-db.js';
import { createOidcClients, type OidcClients } from '../oidc-clients.js';
import { ssoRoutes } from '../sso-routes.js';

export interface SsoTestApi {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  platform: TestPlatformDb;
  db: Knex;
  config: PlatformConfig;
  secretKey: Buffer;
  clients: OidcClients;
  /** a Ready tenant row, as the operator leaves it; returns its id */
  addTenant(slug: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real platform-api front door (createApp: tenant resolution, authentication, rate limits, CSRF check,
 * /auth/session…) with the SSO routes mounted after it, the way app.ts will mount them, over a fresh platform
 * database that has the SSO migration applied.
 */
export async function startSsoTestApi(logger: Logger): Promise<SsoTestApi> {
  const platform = await createTestPlatformDb();
  // Once the lead lists the migration in db/migrate.ts, createTestPlatformDb has already applied it.
  if (!(await platform.db.schema.hasTable('tenant_sso'))) await tenantSso.up(platform.db);

  const keys = await generateInternalKeys();
  const config = loadPlatformConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: platform.url,
    PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    REDIS_KEY_PREFIX: `test:${platform.name}:`,
    // one test client makes every request from one address
    RATE_LIMIT_SCALE: '1000',
  });
  const db = createDb({ url: config.DATABASE_URL, label: 'platform', pool: { min: 0, max: 5 } });
  const redis = connectRedis(config.REDIS_URL, logger);
  const pools = createUpstreamPools({ timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  const secretKey = parseKey(config.PLATFORM_SECRET_KEY);
  const clients = createOidcClients({ allowInsecureIssuer: true });
  const app = createApp({
    config,
    db,
    logger,
    internalKey: await importInternalKey(keys.privateJwk),
    lifecycle: { accepting: true },
    registry: createTenantRegistry(db, { ttlMs: 0 }),
    pools,
    redis,
  });
  const sso = ssoRoutes({ db, config, secretKey, clients });
  app.use(sso.routes());
  app.use(sso.allowedMethods());

  const served = await serve(app.callback(), {
    port: 0,
    host: '127.0.0.1',
    logger,
    graceMs: 1_000,
    handleSignals: false,
    onClose: async () => {
      await pools.close();
      await redis.close();
      await db.destroy();
    },
  });
  return {
    url: `http://127.0.0.1:${served.port}`,
    port: served.port,
    platform,
    db,
    config,
    secretKey,
    clients,
    async addTenant(slug) {
      const id = randomBytes(6).toString('hex');
      await db('tenants').insert({ id, slug, display_name: `${slug} Solar`, phase: 'Ready' });
      return id;
    },
    async close() {
      await served.close();
      await platform.drop();
    },
  };
}
