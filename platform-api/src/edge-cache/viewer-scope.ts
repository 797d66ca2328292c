import type { AppContext } from '../http/koa.js';

/**
 * Names what the caller may see: two requests with the same scope key (in the same tenant) see the same
 * rows. null means "do not use the cache" (no caller, or one not yet allowed through). Later this becomes
 * the runtime's effective-scope fingerprint, so members with the same reach share entries.
 */
export type ViewerScope = (ctx: AppContext) => string | null | Promise<string | null>;

/** For now one entry set per user (sessions) or per API key (which carries its own scopes). */
export const userViewerScope: ViewerScope = (ctx) => {
  const tenant = ctx.state.tenant;
  if (!tenant) return null;
  const apiKey = ctx.state.apiKey;
  if (apiKey) return apiKey.tenantId === tenant.id ? `key:${apiKey.keyId}` : null;
  const principal = ctx.state.principal;
  if (!principal || principal.stage !== 'full' || principal.tenantId !== tenant.id) return null;
  return `user:${principal.identityId}`;
};
