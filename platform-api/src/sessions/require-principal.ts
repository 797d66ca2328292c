import { Unauthorized } from '@solar/common';
import type { AppContext } from '../http/koa.js';
import type { SessionPrincipal } from './session-store.js';

export function requirePrincipal(ctx: AppContext): SessionPrincipal {
  if (!ctx.state.principal) throw new Unauthorized('Sign in first');
  return ctx.state.principal;
}
