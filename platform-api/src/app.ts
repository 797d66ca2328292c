import { parseKey, type Knex, type Lifecycle, type Logger } from '@solar/common';
import type { CryptoKey } from 'jose';
import type { PlatformConfig } from './config.js';
import { apiKeyRoutes } from './api-keys/api-key-routes.js';
import { securityEventRoutes } from './audit/security-event-routes.js';
import { createEdgeCacheStore, type EdgeCacheStore } from './edge-cache/cache-store.js';
import { edgeCache } from './edge-cache/edge-cache.js';
import { platformGraphql } from './platform-graphql/platform-graphql.js';
import type { TenantDriver } from './platform-graphql/tenant-driver.js';
import { healthRoutes } from './health/health-routes.js';
import { bodyLimit } from './http/body-limit.js';
import { errorHandler } from './http/error-handler.js';
import { createKoa, type KoaApp } from './http/koa.js';
import { originCheck } from './http/origin-check.js';
import { requestId } from './http/request-id.js';
import { requestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { serverSpan } from './http/server-span.js';
import { mfaRoutes } from './mfa/mfa-routes.js';
import { graphqlRoutes } from './proxy/graphql-routes.js';
import { createPersistedQueryStore } from './proxy/persisted-query-store.js';
import type { UpstreamPools } from './proxy/upstream-pools.js';
import { DEFAULT_PLAN_LIMITS, scalePlanLimits, type PlanLimitTable } from './rate-limit/plan-limits.js';
import { rateLimit } from './rate-limit/rate-limit.js';
import type { Redis } from './redis/redis-client.js';
import { createSignInThrottle } from './security/sign-in-throttle.js';
import { deriveAccessTokenKey } from './sessions/access-token.js';
import type { AuthDeps } from './sessions/auth-deps.js';
import { authRoutes } from './sessions/auth-routes.js';
import { authenticate } from './sessions/authenticate.js';
import { sessionRoutes } from './sessions/session-routes.js';
import { createOidcClients } from './sso/oidc-clients.js';
import { ssoRoutes } from './sso/sso-routes.js';
import { resolveTenant } from './tenancy/resolve-tenant.js';
import type { TenantRegistry } from './tenancy/tenant-registry.js';

export interface AppDeps {
  config: PlatformConfig;
  db: Knex;
  logger: Logger;
  internalKey: CryptoKey;
  lifecycle: Lifecycle;
  registry: TenantRegistry;
  pools: UpstreamPools;
  /** rate limits, sign-in back-off (each falls back to in-process counters while Redis is down) */
  redis: Redis;
  /** requests per window by plan; tests pass small ones */
  planLimits?: PlanLimitTable;
  /**
   * The edge cache's store, shared with the change subscriber that invalidates it (server.ts); one is made
   * from `redis` when absent. Unused when EDGE_CACHE_ENABLED is false.
   */
  edgeCacheStore?: EdgeCacheStore;
  /** provisions tenants for self-service signup; without one the platform GraphQL is not mounted */
  tenantDriver?: TenantDriver;
}

/** The whole front door, in the order a request meets it. */
export function createApp(deps: AppDeps): KoaApp {
  const { config, db, logger } = deps;
  const app = createKoa({ proxy: config.TRUST_PROXY });
  // Errors are answered by errorHandler; the only ones Koa still sees happen after the response started.
  app.silent = true;
  app.on('error', (err) => logger.warn({ err: { message: err.message } }, 'response stream failed'));

  const accessKey = deriveAccessTokenKey(config.PLATFORM_SECRET_KEY);
  const auth: AuthDeps = {
    db,
    config,
    accessKey,
    secretKey: parseKey(config.PLATFORM_SECRET_KEY),
    throttle: createSignInThrottle(
      deps.redis,
      {
        accountThreshold: config.LOCKOUT_ACCOUNT_THRESHOLD,
        ipThreshold: config.LOCKOUT_IP_THRESHOLD,
        baseDelaySeconds: config.LOCKOUT_BASE_DELAY_SECONDS,
        maxDelaySeconds: config.LOCKOUT_MAX_DELAY_SECONDS,
        windowSeconds: config.LOCKOUT_WINDOW_SECONDS,
        keyPrefix: config.REDIS_KEY_PREFIX,
      },
      logger,
    ),
  };

  app.use(requestId()); // X-Request-Id in, out, and on every log line
  app.use(requestLog(logger)); // one line per request
  app.use(serverSpan()); // trace span around everything below
  app.use(securityHeaders()); // helmet
  app.use(errorHandler()); // AppError → status + JSON; anything else → 500
  app.use(bodyLimit(config.MAX_BODY_BYTES)); // 413 before buffering more than the limit
  app.use(resolveTenant(deps.registry, config.BASE_DOMAIN)); // host / custom domain / X-Tenant
  app.use(
    authenticate({
      db,
      accessKey,
      cookieSecure: config.COOKIE_SECURE,
      ttlHours: config.SESSION_TTL_HOURS,
      maxDays: config.SESSION_MAX_DAYS,
      sessionCacheMs: config.SESSION_CACHE_MS,
    }),
  ); // access token or session cookie → principal (sliding expiry)
  app.use(
    rateLimit({
      redis: deps.redis,
      keyPrefix: config.REDIS_KEY_PREFIX,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      plans: scalePlanLimits(deps.planLimits ?? DEFAULT_PLAN_LIMITS, config.RATE_LIMIT_SCALE),
      logger,
    }),
  ); // per tenant / user / IP by plan on /graphql and /auth/*
  app.use(originCheck({ db, trustedOrigins: config.TRUSTED_ORIGINS })); // CSRF: cookie writes from our origins only
  if (config.EDGE_CACHE_ENABLED) {
    // Persisted-query GETs and REST GETs per (tenant, viewer) from Redis, ETag/304. The viewer scope is the
    // user or API key for now; the runtime's effective-scope fingerprint could later let members with the
    // same reach share entries (edge-cache/viewer-scope.ts).
    const store =
      deps.edgeCacheStore ??
      createEdgeCacheStore({
        client: deps.redis.client,
        keyPrefix: config.REDIS_KEY_PREFIX,
        ttlSeconds: config.EDGE_CACHE_TTL_SECONDS,
      });
    app.use(
      edgeCache({ store, redis: deps.redis, logger, maxEntryBytes: config.EDGE_CACHE_MAX_ENTRY_BYTES }),
    );
  }

  if (deps.tenantDriver) {
    // /platform/graphql: signup, tenant-owner settings, platform-admin views
    app.use(
      platformGraphql({
        db,
        driver: deps.tenantDriver,
        platformSecretKey: config.PLATFORM_SECRET_KEY,
        baseDomain: config.BASE_DOMAIN,
        secure: config.COOKIE_SECURE,
      }),
    );
  }

  const routers = [
    healthRoutes({ db, lifecycle: deps.lifecycle }),
    authRoutes(auth),
    mfaRoutes(auth),
    // per-tenant OpenID Connect: /auth/sso/start → provider → /auth/sso/callback
    ssoRoutes({
      db,
      config,
      secretKey: parseKey(config.PLATFORM_SECRET_KEY),
      clients: createOidcClients({ allowInsecureIssuer: config.NODE_ENV !== 'production' }),
    }),
    sessionRoutes(auth),
    securityEventRoutes(db),
    apiKeyRoutes(db),
    graphqlRoutes({
      pools: deps.pools,
      internalKey: deps.internalKey,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      persistedQueries: createPersistedQueryStore({
        client: deps.redis.client,
        keyPrefix: config.REDIS_KEY_PREFIX,
        ttlSeconds: config.PERSISTED_QUERY_TTL_SECONDS,
      }),
      passCacheTags: config.EDGE_CACHE_ENABLED,
    }),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
