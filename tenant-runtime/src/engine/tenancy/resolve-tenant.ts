import type { RuntimeState } from '../context.js';
import { WrongRuntime } from '../errors.js';
import type { Middleware } from '../http/koa.js';
import type { TenantDirectory } from './tenant-directory.js';

/** Connects the request to the caller's tenant (from the verified token only) through its own DB user. */
export function resolveTenant(
  directory: TenantDirectory,
  options: { dedicatedTenantId?: string | undefined },
): Middleware<RuntimeState> {
  return async (ctx, next) => {
    const caller = ctx.state.caller;
    if (!caller) throw new Error('resolveTenant needs authenticate to run first');
    if (options.dedicatedTenantId !== undefined && caller.tenantId !== options.dedicatedTenantId)
      throw new WrongRuntime('This runtime does not serve that workspace');
    ctx.state.tenant = await directory.connect(caller.tenantId);
    return next();
  };
}
