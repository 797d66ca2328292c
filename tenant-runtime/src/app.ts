import { importInternalKey, parseKey, type Knex, type Logger } from '@solar/common';
import type { RuntimeConfig } from './config.js';
import type { RuntimeState } from './engine/context.js';
import { authenticate } from './engine/auth/authenticate.js';
import { graphqlHandler } from './engine/graphql/graphql-handler.js';
import { errorHandler } from './engine/http/error-handler.js';
import { health } from './engine/http/health.js';
import { createKoa, type KoaApp } from './engine/http/koa.js';
import { notFound } from './engine/http/not-found.js';
import { readBody } from './engine/http/read-body.js';
import { requestContext } from './engine/http/request-context.js';
import { resolveTenant } from './engine/tenancy/resolve-tenant.js';
import { createTenantDirectory } from './engine/tenancy/tenant-directory.js';
import { createTenantPools, type TenantPools } from './engine/tenancy/tenant-pools.js';
import { createTenantRegistry, type TenantRegistry } from './engine/tenancy/tenant-registry.js';
import { guardPools } from './engine/data/scope-guard.js';
import {
  createAccessResolver,
  resolveAccess,
  type AccessResolver,
} from './modules/access/access-resolver.js';
import { restHandler } from './engine/rest/rest-handler.js';
import { configureProductionSource } from './modules/proposals/production-source.js';
import { proposalPrintRoute } from './modules/proposals/proposal-print-route.js';
import { formIntake } from './modules/forms/form-intake.js';
import { fillTokenSigner } from './modules/forms/fill-token.js';
import { graphqlModules, recordSources, restRoutes, scopedTables } from './modules/index.js';
import { createChangeFeed, type ChangeFeed } from './engine/realtime/change-feed.js';
import { realtimeGraphQL } from './engine/realtime/realtime-graphql.js';
import { webhooksGraphQL } from './modules/webhooks/webhook-graphql.js';

export interface RuntimeDeps {
  config: RuntimeConfig;
  logger: Logger;
  /** pool on the platform database: reads the tenant registry, backs /readyz */
  platformDb: Knex;
  /** false once shutdown has begun (from serve()'s lifecycle); /readyz then fails */
  isAccepting?: () => boolean;
}

export interface Runtime {
  app: KoaApp<RuntimeState>;
  registry: TenantRegistry;
  pools: TenantPools;
  /** members' effective permissions, cached per tenant + member */
  access: AccessResolver;
  /** committed changes from Redis, for GraphQL subscriptions (one subscriber connection, per-tenant channels) */
  changeFeed: ChangeFeed;
  /** closes every tenant pool (the platform pool belongs to the caller) */
  close(): Promise<void>;
}

/** The tenant runtime: every middleware, in the order a request meets them. */
export async function buildRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const { config, logger } = deps;
  const registry = createTenantRegistry(deps.platformDb, { ttlMs: config.TENANT_REGISTRY_TTL_MS });
  const tenantPools = createTenantPools({
    url: config.DATABASE_URL,
    maxPerTenant: config.POOL_MAX_PER_TENANT,
    maxOpen: config.MAX_OPEN_TENANT_POOLS,
    strategy: config.TENANT_CONNECTION_STRATEGY,
    maxConnections: config.MAX_TENANT_CONNECTIONS,
    logger,
  });
  // outside production, a query on a row-scoped table that skipped the data-access layer throws
  const pools = config.NODE_ENV === 'production' ? tenantPools : guardPools(tenantPools, scopedTables);
  const access = createAccessResolver();
  const secretKey = parseKey(config.PLATFORM_SECRET_KEY);
  const directory = createTenantDirectory({ registry, pools, secretKey, logger });

  // subscriptions: committed changes from Redis, re-read under each subscriber's row scope
  const changeFeed = createChangeFeed({ redisUrl: config.REDIS_URL, logger });
  const realtime = realtimeGraphQL({
    feed: changeFeed,
    directory,
    resolveActor: access.resolve,
    scopedTables,
    sources: recordSources,
  });
  // outbound webhooks admin API: secrets sealed with the platform key, targets checked against SSRF
  const webhooks = webhooksGraphQL({
    secretKey,
    policy: {
      allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      requireHttps: config.NODE_ENV === 'production',
    },
  });

  // PVWatts v8 when PVWATTS_API_KEY is set, else the labelled offline estimate
  configureProductionSource(config, logger);

  const app = createKoa<RuntimeState>();
  app
    // request id, child logger, server span, one log line per request
    .use(requestContext(logger))
    // typed errors → { error: { code, message } } with their status
    .use(errorHandler())
    // /healthz, /readyz — no token needed
    .use(health({ platformDb: deps.platformDb, isAccepting: deps.isAccepting ?? (() => true) }))
    // internal token → ctx.state.caller (the only source of tenant and user)
    .use(authenticate(await importInternalKey(config.INTERNAL_TOKEN_PUBLIC_KEY)))
    // body within MAX_BODY_BYTES, else 413 before parsing
    .use(readBody(config.MAX_BODY_BYTES))
    // caller's tenant → its own DB pool; not ready → 503, suspended → read-only
    .use(
      resolveTenant(directory, {
        dedicatedTenantId: config.MODE === 'dedicated' ? config.TENANT_ID : undefined,
      }),
    )
    // web-form submitters (forms:submit): their form only, acted on for its creator; never members
    .use(formIntake({ access, signer: fillTokenSigner(secretKey), scopedTables }))
    // caller → member (created on first request) with cached permission scopes; disabled → 403
    .use(resolveAccess(access))
    // /api/v1 REST (same services, so the same row scope) and /api/v1/openapi.json
    .use(restHandler({ routes: restRoutes, scopedTables }))
    // GET /proposals/:id/print (HTML) and /print.pdf (PDF): the printable proposal, under the same row scope
    .use(proposalPrintRoute({ scopedTables }))
    // POST/GET /graphql (subscriptions stream as Server-Sent Events)
    .use(
      graphqlHandler({
        modules: [...graphqlModules, realtime, webhooks],
        scopedTables,
        maxBodyBytes: config.MAX_BODY_BYTES,
        production: config.NODE_ENV === 'production',
      }),
    )
    .use(notFound());

  return {
    app,
    registry,
    pools,
    access,
    changeFeed,
    close: async () => {
      await changeFeed.close();
      await pools.close();
    },
  };
}
