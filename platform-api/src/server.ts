import {
  createDb,
  createLogger,
  importInternalKey,
  serve,
  type Knex,
  type Lifecycle,
  type Logger,
  type Served,
} from '@solar/common';
import { createApp } from './app.js';
import type { TenantDriver } from './platform-graphql/tenant-driver.js';
import type { PlatformConfig } from './config.js';
import { createEdgeCacheStore } from './edge-cache/cache-store.js';
import { startChangeSubscriber, type ChangeSubscriber } from './edge-cache/change-subscriber.js';
import { createUpstreamPools } from './proxy/upstream-pools.js';
import type { PlanLimitTable } from './rate-limit/plan-limits.js';
import { connectRedis } from './redis/redis-client.js';
import { createTenantRegistry, type TenantRegistry } from './tenancy/tenant-registry.js';

export interface PlatformApi {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  registry: TenantRegistry;
  /** resolves once the edge cache listens to change events (at once when the cache is off or Redis down) */
  edgeCacheSubscribed: Promise<void>;
  /** Stops accepting, drains requests, closes upstream pools and the DB pool (if this call opened it). */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Use this DB pool instead of opening one from DATABASE_URL (it is then left open on close). */
  db?: Knex;
  handleSignals?: boolean;
  registryTtlMs?: number;
  /** requests per window by plan (defaults in rate-limit/plan-limits.ts) */
  planLimits?: PlanLimitTable;
  /** provisions tenants for self-service signup (mounts /platform/graphql) */
  tenantDriver?: TenantDriver;
  onClose?: () => Promise<void>;
}

/** Wires config → DB, registry, pools, app and HTTP server. Used by main.ts and by tests. */
export async function startPlatformApi(
  config: PlatformConfig,
  options: StartOptions = {},
): Promise<PlatformApi> {
  const logger = options.logger ?? createLogger('platform-api', config.LOG_LEVEL);
  const db = options.db ?? createDb({ url: config.DATABASE_URL, label: 'platform' });
  const registry = createTenantRegistry(db, { ttlMs: options.registryTtlMs ?? 3_000 });
  const pools = createUpstreamPools({ timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  const internalKey = await importInternalKey(config.INTERNAL_TOKEN_PRIVATE_KEY);
  const redis = connectRedis(config.REDIS_URL, logger);
  const edgeCacheStore = createEdgeCacheStore({
    client: redis.client,
    keyPrefix: config.REDIS_KEY_PREFIX,
    ttlSeconds: config.EDGE_CACHE_TTL_SECONDS,
  });
  // the runtimes' change events drop cached answers; a (re)subscription flushes what may have been missed
  const subscriber: ChangeSubscriber | null = config.EDGE_CACHE_ENABLED
    ? startChangeSubscriber({
        redis,
        store: edgeCacheStore,
        logger,
        channelPrefix: config.EDGE_CACHE_CHANNEL_PREFIX,
      })
    : null;

  // serve() owns the lifecycle, but the app (readiness) needs to read it before serve() returns.
  const started: { served?: Served } = {};
  const lifecycle: Lifecycle = {
    get accepting() {
      return started.served?.lifecycle.accepting ?? true;
    },
  };
  const app = createApp({
    config,
    db,
    logger,
    internalKey,
    lifecycle,
    registry,
    pools,
    redis,
    edgeCacheStore,
    ...(options.tenantDriver ? { tenantDriver: options.tenantDriver } : {}),
    ...(options.planLimits ? { planLimits: options.planLimits } : {}),
  });
  const served = await serve(app.callback(), {
    port: config.PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    handleSignals: options.handleSignals ?? false,
    onClose: async () => {
      await pools.close();
      await subscriber?.close();
      await redis.close();
      if (!options.db) await db.destroy();
      await options.onClose?.();
    },
  });
  started.served = served;
  return {
    port: served.port,
    url: `http://127.0.0.1:${served.port}`,
    registry,
    edgeCacheSubscribed: subscriber?.subscribed ?? Promise.resolve(),
    close: served.close,
  };
}
