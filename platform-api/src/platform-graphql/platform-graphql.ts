import type { Knex } from '@solar/common';
import { createYoga } from 'graphql-yoga';
import type { TxtLookup } from '../domains/txt-lookup.js';
import { originOf } from '../audit/security-events.js';
import type { Middleware } from '../http/koa.js';
import { deriveAdminTokenKey, verifyAdminToken } from './admin-token.js';
import { maskError } from './error-mapping.js';
import type { PlatformIdentity } from './identity-access.js';
import { findActiveAdmin } from './platform-admins.js';
import { buildPlatformSchema, type PlatformGraphqlContext } from './schema.js';
import type { TenantDriver } from './tenant-driver.js';

export const PLATFORM_GRAPHQL_PATH = '/platform/graphql';
const INTERNAL_ORIGIN = 'http://platform-api.internal';
const SKIP_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
]);

export interface PlatformGraphqlDeps {
  db: Knex;
  /** the operator's driver (local now, Kubernetes later) */
  driver: TenantDriver;
  /** PLATFORM_SECRET_KEY (base64); the admin-token key is derived from it with its own purpose */
  platformSecretKey: string;
  /** BASE_DOMAIN: tenants live at <slug>.<baseDomain> */
  baseDomain: string;
  /** https in production */
  secure: boolean;
  /** TXT lookups for custom-domain verification (DNS_SERVERS) */
  txtLookup?: TxtLookup;
  /** tenant roles, SSO settings, admin sign-in protection; without them only owners manage settings */
  identity?: PlatformIdentity;
}

/**
 * The platform GraphQL (signup, workspace settings, platform-admin views) as a Koa middleware at
 * /platform/graphql. Mount it after body-limit, tenant resolution and authentication: it reads the raw body
 * and the session principal from ctx.state, and the platform-admin token from `Authorization: Bearer`.
 */
export function platformGraphql(deps: PlatformGraphqlDeps): Middleware {
  const adminKey = deriveAdminTokenKey(deps.platformSecretKey);
  const scheme = deps.secure ? 'https' : 'http';
  const signInUrl = (slug: string) => `${scheme}://${slug}.${deps.baseDomain}/sign-in`;
  const yoga = createYoga<PlatformGraphqlContext>({
    schema: buildPlatformSchema(deps.txtLookup ? { txtLookup: deps.txtLookup } : {}),
    graphqlEndpoint: PLATFORM_GRAPHQL_PATH,
    landingPage: false,
    graphiql: false,
    logging: false,
    batching: false,
    maskedErrors: { maskError },
  });

  return async (ctx, next) => {
    if (ctx.path !== PLATFORM_GRAPHQL_PATH) return next();
    const bearer = /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
    const adminId = bearer ? await verifyAdminToken(bearer, adminKey) : null;
    const admin = adminId ? await findActiveAdmin(deps.db, adminId) : null;

    const headers = new Headers();
    for (const [name, value] of Object.entries(ctx.req.headers)) {
      if (value === undefined || SKIP_HEADERS.has(name)) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const hasBody = ctx.method !== 'GET' && ctx.method !== 'HEAD';
    const request = new Request(
      new URL(ctx.path + (ctx.querystring ? `?${ctx.querystring}` : ''), INTERNAL_ORIGIN),
      {
        method: ctx.method,
        headers,
        ...(hasBody ? { body: new Uint8Array(ctx.state.rawBody ?? Buffer.alloc(0)) } : {}),
      },
    );
    const context: Omit<PlatformGraphqlContext, 'request' | 'params'> = {
      db: deps.db,
      driver: deps.driver,
      adminKey,
      log: admin ? ctx.state.log.child({ adminId: admin.id }) : ctx.state.log,
      signInUrl,
      admin,
      principal: ctx.state.principal,
      tenant: ctx.state.tenant,
      identity: deps.identity,
      origin: originOf(ctx),
    };
    const response = await yoga.fetch(request, context);
    ctx.status = response.status;
    response.headers.forEach((value, name) => ctx.set(name, value));
    ctx.body = Buffer.from(await response.arrayBuffer());
  };
}
