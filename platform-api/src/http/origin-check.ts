import { AppError, type Knex } from '@solar/common';
import { audit } from '../audit/security-events.js';
import type { TenantRegistry } from '../tenancy/tenant-registry.js';
import { isAllowedOrigin } from './cors.js';
import type { AppContext, Middleware } from './koa.js';

export class CrossSiteRequestRefused extends AppError {
  readonly status = 403;
  readonly code = 'CSRF_REFUSED';
  constructor() {
    super('Cross-site request refused');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection by strict Origin check (not double-submit tokens): a state-changing request that could
 * ride on the browser's session cookie must come from this host's own origin or a TRUSTED_ORIGINS entry.
 * The browser's `Origin` is checked, else `Referer`; `Sec-Fetch-Site: cross-site` is refused outright.
 * A request with neither header is not from a browser page (the web app's server, curl) and passes.
 * The request's tenant's own CORS origins are trusted too — for that tenant only: a session is only valid
 * on its own tenant, so another tenant's list can never vouch for it.
 * Bearer clients (an Authorization header or X-Session-Mode: bearer) are exempt: a cross-site page cannot
 * set those headers without a CORS preflight, which this server grants only to the tenant's listed origins.
 */
export function originCheck(options: {
  db: Knex;
  trustedOrigins: readonly string[];
  /** the request's tenant's CORS origins count as trusted for that tenant only (see http/cors.ts) */
  registry?: Pick<TenantRegistry, 'corsOrigins'>;
}): Middleware {
  const trusted = new Set(options.trustedOrigins);
  const { registry } = options;
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method) || isBearerClient(ctx)) return next();
    const claimed = claimedOrigin(ctx);
    const ownOrigin = `${ctx.protocol}://${ctx.host}`.toLowerCase();
    const crossSite = ctx.get('Sec-Fetch-Site').toLowerCase() === 'cross-site';
    const allowed =
      claimed === undefined
        ? !crossSite
        : claimed === ownOrigin ||
          trusted.has(claimed) ||
          (registry !== undefined && (await isAllowedOrigin(ctx, registry, claimed)));
    if (!allowed) {
      ctx.state.log.warn({ event: 'csrf_refused', origin: claimed ?? null }, 'cross-site request refused');
      await audit(options.db, ctx, {
        type: 'csrf_refused',
        identityId: ctx.state.principal?.identityId ?? null,
        details: { origin: claimed ?? null, path: ctx.path },
      });
      throw new CrossSiteRequestRefused();
    }
    await next();
  };
}

function isBearerClient(ctx: AppContext): boolean {
  return ctx.get('Authorization') !== '' || ctx.get('X-Session-Mode').toLowerCase() === 'bearer';
}

/** The origin the browser says the request came from, lower-cased; 'null' stays 'null' (never trusted). */
function claimedOrigin(ctx: AppContext): string | undefined {
  const origin = ctx.get('Origin');
  if (origin) return origin.toLowerCase();
  const referer = ctx.get('Referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin.toLowerCase();
  } catch {
    return 'null';
  }
}
