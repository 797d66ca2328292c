import { isIP } from 'node:net';
import type { Middleware } from '../http/koa.js';
import { TenantMismatch, TenantNotFound, TenantProvisioning } from './tenant-errors.js';
import type { RegistryTenant, TenantRegistry } from './tenant-registry.js';

export const TENANT_HEADER = 'X-Tenant';
/** Sub-domains of the base domain that belong to the platform itself, never to a tenant. */
const RESERVED_LABELS = new Set(['www', 'api', 'app', 'admin', 'platform']);
/** Paths answered without a tenant, so probes never depend on the registry. */
const TENANTLESS_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Works out which tenant a request is for, in this order: the Host `<slug>.<baseDomain>`, a verified custom
 * domain, then the X-Tenant header (API clients on a shared host). When the host names a tenant, X-Tenant may
 * only repeat it. A request that names no tenant at all passes through without one (platform routes);
 * tenant routes insist on it with `requireTenant`.
 */
export function resolveTenant(registry: TenantRegistry, baseDomain: string): Middleware {
  const base = baseDomain.toLowerCase();
  return async (ctx, next) => {
    if (TENANTLESS_PATHS.has(ctx.path)) return next();
    const host = ctx.hostname.toLowerCase().replace(/\.$/, '');
    const header = ctx.get(TENANT_HEADER).trim().toLowerCase();

    let tenant = await fromHost(registry, host, base);
    if (tenant && header && header !== tenant.slug) throw new TenantMismatch();
    if (tenant === undefined && header) tenant = (await registry.bySlug(header)) ?? null;
    if (tenant === null || tenant?.deleted) throw new TenantNotFound();

    if (tenant) {
      if (tenant.phase === 'Pending' || tenant.phase === 'Provisioning') throw new TenantProvisioning();
      ctx.state.tenant = tenant;
      ctx.state.log = ctx.state.log.child({ tenant: tenant.slug });
      if (tenant.suspended) ctx.set('X-Tenant-Suspended', 'true');
    }
    await next();
  };
}

/** undefined: the host names no tenant; null: it names one that does not exist. */
async function fromHost(
  registry: TenantRegistry,
  host: string,
  base: string,
): Promise<RegistryTenant | null | undefined> {
  if (!host || host === base || isIP(host) || host === 'localhost') return undefined;
  if (host.endsWith(`.${base}`)) {
    const label = host.slice(0, -base.length - 1);
    if (label.includes('.') || RESERVED_LABELS.has(label)) return undefined;
    return registry.bySlug(label);
  }
  // Any other host may be a tenant's verified custom domain; an unknown one names no tenant.
  return (await registry.byDomain(host)) ?? undefined;
}
