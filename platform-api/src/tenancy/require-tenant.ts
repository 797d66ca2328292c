import type { AppContext } from '../http/koa.js';
import { TenantNotFound } from './tenant-errors.js';
import type { RegistryTenant } from './tenant-registry.js';

/** For routes that only make sense inside a tenant. */
export function requireTenant(ctx: AppContext): RegistryTenant {
  if (!ctx.state.tenant) throw new TenantNotFound('Name a tenant by host or X-Tenant header');
  return ctx.state.tenant;
}
