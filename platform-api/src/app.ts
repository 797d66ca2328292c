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
import { tenantCors } from './http/cors.js';
import { startDomainRecheck } from './domains/domain-verification.js';
import { createTxtLookup } from './domains/txt-lookup.js';
import { errorHandler } from './http/error-handler.js';
import { createKoa, type KoaApp } from './http/koa.js';
import { originCheck } from './http/origin-check.js';
import { requestId } from './http/request-id.js';
import { requestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { serverSpan } from './http/server-span.js';
import { invitationRoutes } from './invitations/invitation-routes.js';
import { createMailer } from './invitations/mailer.js';
import { mfaRoutes } from './mfa/mfa-routes.js';
import { publicForms } from './public-forms/public-forms.js';
import { deriveClientTokenKey } from './oauth/client-token.js';
import { oauthRoutes } from './oauth/oauth-routes.js';
import { createCallerLiveness } from './proxy/caller-liveness.js';
import { createForwarder } from './proxy/forward-to-runtime.js';
import { createRuntimeBreakers } from './proxy/runtime-breakers.js';
import { runtimeRoutes } from './proxy/runtime-routes.js';
import { CACHE_TAGS_HEADER } from './edge-cache/response-tags.js';
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
import { createRuntimeGraphql } from './tenant-roles/runtime-graphql.js';
import { createTenantRoles } from './tenant-roles/tenant-roles.js';
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
  // platform-api's own questions to runtimes (a member's permissions, an invited member's role)
  const runtimeGraphql = createRuntimeGraphql({
    pools: deps.pools,
    internalKey: deps.internalKey,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  // tenant roles at the door: who may manage the workspace's access settings
  const roles = createTenantRoles({ db, runtime: runtimeGraphql, cacheMs: config.TENANT_ROLES_CACHE_MS });
  const clientTokenKey = deriveClientTokenKey(config.PLATFORM_SECRET_KEY);

  // custom domains: verifyDomain asks DNS at once; every DOMAIN_RECHECK_INTERVAL_MS all claims are re-checked
  const txtLookup = createTxtLookup({ servers: config.DNS_SERVERS, timeoutMs: config.DNS_TIMEOUT_MS });
  startDomainRecheck({
    db,
    lookup: txtLookup,
    intervalMs: config.DOMAIN_RECHECK_INTERVAL_MS,
    log: logger,
    running: () => deps.lifecycle.accepting,
  });

  app.use(requestId()); // X-Request-Id in, out, and on every log line
  app.use(requestLog(logger)); // one line per request
  app.use(serverSpan()); // trace span around everything below
  app.use(securityHeaders()); // helmet
  app.use(errorHandler()); // AppError → status + JSON; anything else → 500
  app.use(bodyLimit({ defaultMaxBytes: config.MAX_BODY_BYTES, routes: config.ROUTE_BODY_LIMITS })); // 413 before buffering more than the limit
  app.use(resolveTenant(deps.registry, config.BASE_DOMAIN)); // host / custom domain / X-Tenant
  app.use(
    publicForms({ config, redis: deps.redis, pools: deps.pools, internalKey: deps.internalKey, logger }),
  ); // /forms/:key web-form capture: the form's own origins, per-address limits
  app.use(tenantCors(deps.registry)); // the tenant's allowed origins: preflights, Access-Control-* headers
  app.use(
    authenticate({
      db,
      accessKey,
      cookieSecure: config.COOKIE_SECURE,
      ttlHours: config.SESSION_TTL_HOURS,
      maxDays: config.SESSION_MAX_DAYS,
      sessionCacheMs: config.SESSION_CACHE_MS,
      clientTokenKey,
    }),
  ); // access token or session cookie → principal (sliding expiry); API key or OAuth client token
  app.use(
    rateLimit({
      redis: deps.redis,
      keyPrefix: config.REDIS_KEY_PREFIX,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      plans: scalePlanLimits(deps.planLimits ?? DEFAULT_PLAN_LIMITS, config.RATE_LIMIT_SCALE),
      logger,
    }),
  ); // per tenant / user / IP by plan on /graphql and /auth/*
  app.use(originCheck({ db, trustedOrigins: config.TRUSTED_ORIGINS, registry: deps.registry })); // CSRF: cookie writes from our (and the tenant's CORS) origins only
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
        txtLookup,
        // administrators (not only owners) manage MFA policy and SSO; admin sign-in backs off and uses TOTP
        identity: {
          roles,
          secretKey: auth.secretKey,
          allowInsecureIssuer: config.NODE_ENV !== 'production',
          admins: {
            throttle: auth.throttle,
            secretKey: auth.secretKey,
            mfaRequired: config.PLATFORM_ADMIN_MFA_REQUIRED,
            mfaIssuer: config.MFA_ISSUER,
          },
        },
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
    apiKeyRoutes(db, roles),
    // OAuth2 client credentials: POST /oauth/token, administrators manage /auth/oauth-clients
    oauthRoutes({ auth, roles, clientTokenKey, tokenTtlSeconds: config.OAUTH_TOKEN_TTL_SECONDS }),
    // administrators invite by email (SMTP_URL) with a role; the invited person accepts and is signed in
    invitationRoutes({
      auth,
      roles,
      runtime: runtimeGraphql,
      mailer: createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger }),
      tenantWebUrl: (tenant) =>
        (
          config.TENANT_WEB_URL || `${config.COOKIE_SECURE ? 'https' : 'http'}://{slug}.${config.BASE_DOMAIN}`
        ).replaceAll('{slug}', tenant.slug),
      ttlHours: config.INVITATION_TTL_HOURS,
    }),
    // /graphql and /api/v1/** → the tenant's runtime (circuit breaker per runtime, SSE relayed live)
    runtimeRoutes({
      forward: createForwarder({
        pools: deps.pools,
        internalKey: deps.internalKey,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        breakers: createRuntimeBreakers(
          {
            errorPercent: config.BREAKER_ERROR_PERCENT,
            minRequests: config.BREAKER_MIN_REQUESTS,
            windowMs: config.BREAKER_WINDOW_MS,
            resetMs: config.BREAKER_RESET_MS,
          },
          { retries: config.UPSTREAM_RETRIES, delayMs: config.UPSTREAM_RETRY_DELAY_MS },
        ),
        liveness: createCallerLiveness(db, Math.min(5_000, config.SSE_HEARTBEAT_MS)),
        eventStreams: { heartbeatMs: config.SSE_HEARTBEAT_MS, maxDurationMs: config.SSE_MAX_DURATION_MS },
        // the runtime's X-Cache-Tags go up to the edge cache, which removes them before the answer leaves
        alsoReturned: config.EDGE_CACHE_ENABLED ? [CACHE_TAGS_HEADER] : [],
      }),
      persistedQueries: createPersistedQueryStore({
        client: deps.redis.client,
        keyPrefix: config.REDIS_KEY_PREFIX,
        ttlSeconds: config.PERSISTED_QUERY_TTL_SECONDS,
      }),
      bulkGraphql: { defaultMaxBytes: config.MAX_BODY_BYTES, fields: config.BULK_GRAPHQL_FIELDS },
    }),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
