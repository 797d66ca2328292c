import { Router } from '@koa/router';
import { Forbidden, NotFound, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import { audit } from '../audit/security-events.js';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { MANAGE_ACCESS, requireTenantPermission, type TenantRoles } from '../tenant-roles/tenant-roles.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key-store.js';

/** `*` or `resource:action`, e.g. `leads:read`; the runtime decides what each scope allows. */
export const scopeSchema = z
  .string()
  .regex(/^(\*|[a-z][a-z_]*:[a-z][a-z_]*|[a-z][a-z_]*:\*)$/, { message: 'must be * or resource:action' });

const createSchema = z.object({
  name: z.string().trim().min(1, { message: 'is required' }).max(100),
  scopes: z.array(scopeSchema).min(1, { message: 'name at least one scope' }).max(50),
  expiresAt: z.iso
    .datetime({ message: 'must be an ISO date-time' })
    .refine((v) => new Date(v).getTime() > Date.now(), { message: 'must be in the future' })
    .nullable()
    .default(null),
});

const listQuery = z.object({
  all: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});

/**
 * POST/GET /auth/api-keys, DELETE /auth/api-keys/:id. Any signed-in member manages their own keys;
 * workspace administrators (access:manage:all) also list (`?all=true`) and revoke everyone's. Keys
 * themselves cannot reach these routes, only sessions can.
 */
export function apiKeyRoutes(db: Knex, roles: TenantRoles): Router {
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
    const query = listQuery.safeParse(Object.fromEntries(new URLSearchParams(ctx.querystring)));
    if (!query.success) throw ValidationFailed.fromZod(query.error);
    if (query.data.all) await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      apiKeys: await listApiKeys(db, tenant.id, query.data.all ? null : principal.identityId),
    };
  });

  router.delete('/auth/api-keys/:id', async (ctx: AppContext & { params: Record<string, string> }) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const id = z.uuid({ message: 'must be an API key id' }).safeParse(ctx.params.id);
    if (!id.success) throw ValidationFailed.fromZod(id.error, ['id']);
    let revoked = await revokeApiKey(db, tenant.id, principal.identityId, id.data);
    let byAdmin = false;
    if (!revoked && (await isAdmin(ctx, roles))) {
      revoked = await revokeApiKey(db, tenant.id, null, id.data);
      byAdmin = revoked;
    }
    // someone else's key and no right to it: as unknown as a key that does not exist
    if (!revoked) throw new NotFound('No such API key');
    await audit(db, ctx, {
      type: 'api_key_revoked',
      identityId: principal.identityId,
      details: { keyId: id.data, byAdmin },
    });
    ctx.status = 204;
  });

  return router;
}

async function isAdmin(ctx: AppContext, roles: TenantRoles): Promise<boolean> {
  try {
    await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    return true;
  } catch (err) {
    if (err instanceof Forbidden) return false;
    throw err;
  }
}
