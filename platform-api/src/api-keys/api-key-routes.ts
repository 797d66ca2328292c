import { Router } from '@koa/router';
import { NotFound, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import { audit } from '../audit/security-events.js';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key-store.js';

/** `*` or `resource:action`, e.g. `leads:read`; the runtime decides what each scope allows. */
const scope = z
  .string()
  .regex(/^(\*|[a-z][a-z_]*:[a-z][a-z_]*|[a-z][a-z_]*:\*)$/, { message: 'must be * or resource:action' });

const createSchema = z.object({
  name: z.string().trim().min(1, { message: 'is required' }).max(100),
  scopes: z.array(scope).min(1, { message: 'name at least one scope' }).max(50),
  expiresAt: z.iso
    .datetime({ message: 'must be an ISO date-time' })
    .refine((v) => new Date(v).getTime() > Date.now(), { message: 'must be in the future' })
    .nullable()
    .default(null),
});

/**
 * POST/GET /auth/api-keys, DELETE /auth/api-keys/:id. Any signed-in member may manage their own keys for
 * now (roles arrive later); keys themselves cannot reach these routes, only sessions can.
 */
export function apiKeyRoutes(db: Knex): Router {
  const router = new Router();

  router.post('/auth/api-keys', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const input = parseJsonBody(ctx, createSchema);
    const { key, view } = await createApiKey(db, {
      tenantId: tenant.id,
      createdBy: principal.identityId,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    await audit(db, ctx, {
      type: 'api_key_created',
      identityId: principal.identityId,
      details: { keyId: view.id, prefix: view.prefix },
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = { ...view, key };
  });

  router.get('/auth/api-keys', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { apiKeys: await listApiKeys(db, tenant.id, principal.identityId) };
  });

  router.delete('/auth/api-keys/:id', async (ctx: AppContext & { params: Record<string, string> }) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const id = z.uuid({ message: 'must be an API key id' }).safeParse(ctx.params.id);
    if (!id.success) throw ValidationFailed.fromZod(id.error, ['id']);
    if (!(await revokeApiKey(db, tenant.id, principal.identityId, id.data)))
      throw new NotFound('No such API key');
    await audit(db, ctx, {
      type: 'api_key_revoked',
      identityId: principal.identityId,
      details: { keyId: id.data },
    });
    ctx.status = 204;
  });

  return router;
}
