import { Router } from '@koa/router';
import { ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import type { AppContext } from '../http/koa.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { listSecurityEvents } from './security-events.js';

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});

/** GET /auth/security-events?limit=&before= — the signed-in user's own security events, newest first. */
export function securityEventRoutes(db: Knex): Router {
  const router = new Router();
  router.get('/auth/security-events', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const parsed = querySchema.safeParse(Object.fromEntries(new URLSearchParams(ctx.querystring)));
    if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
    const events = await listSecurityEvents(db, {
      tenantId: tenant.id,
      identityId: principal.identityId,
      limit: parsed.data.limit,
      ...(parsed.data.before !== undefined ? { before: parsed.data.before } : {}),
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { events, nextBefore: events.length === parsed.data.limit ? events.at(-1)?.id : null };
  });
  return router;
}
