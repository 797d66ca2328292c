import type { Knex, Lifecycle, Logger } from '@solar/common';
import type { CryptoKey } from 'jose';
import type { PlatformConfig } from './config.js';
import { healthRoutes } from './health/health-routes.js';
import { bodyLimit } from './http/body-limit.js';
import { errorHandler } from './http/error-handler.js';
import { createKoa, type KoaApp } from './http/koa.js';
import { requestId } from './http/request-id.js';
import { requestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { serverSpan } from './http/server-span.js';
import { graphqlRoutes } from './proxy/graphql-routes.js';
import type { UpstreamPools } from './proxy/upstream-pools.js';
import { authRoutes } from './sessions/auth-routes.js';
import { authenticate } from './sessions/authenticate.js';
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
}

/**
 * The whole front door, in the order a request meets it. Later layers (API keys, MFA, rate limits, the
 * edge cache) slot in between authentication and the routes.
 */
export function createApp(deps: AppDeps): KoaApp {
  const { config, db, logger } = deps;
  const app = createKoa({ proxy: config.TRUST_PROXY });
  // Errors are answered by errorHandler; the only ones Koa still sees happen after the response started.
  app.silent = true;
  app.on('error', (err) => logger.warn({ err: { message: err.message } }, 'response stream failed'));

  app.use(requestId()); // X-Request-Id in, out, and on every log line
  app.use(requestLog(logger)); // one line per request
  app.use(serverSpan()); // trace span around everything below
  app.use(securityHeaders()); // helmet
  app.use(errorHandler()); // AppError → status + JSON; anything else → 500
  app.use(bodyLimit(config.MAX_BODY_BYTES)); // 413 before buffering more than the limit
  app.use(resolveTenant(deps.registry, config.BASE_DOMAIN)); // host / custom domain / X-Tenant
  app.use(authenticate(db)); // session cookie or bearer → principal

  const routers = [
    healthRoutes({ db, lifecycle: deps.lifecycle }),
    authRoutes({ db, sessionTtlHours: config.SESSION_TTL_HOURS, cookieSecure: config.COOKIE_SECURE }),
    graphqlRoutes({
      pools: deps.pools,
      internalKey: deps.internalKey,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    }),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
