import { Router } from '@koa/router';
import { NotFound, ValidationFailed } from '@solar/common';
import { z } from 'zod';
import { scopeSchema } from '../api-keys/api-key-routes.js';
import { audit } from '../audit/security-events.js';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { recordFailure } from '../security/record-failure.js';
import { TooManyAttempts } from '../security/sign-in-throttle.js';
import type { AuthDeps } from '../sessions/auth-deps.js';
import { MANAGE_ACCESS, requireTenantPermission, type TenantRoles } from '../tenant-roles/tenant-roles.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { signClientToken } from './client-token.js';
import {
  authenticateClient,
  createOAuthClient,
  listOAuthClients,
  markClientUsed,
  revokeOAuthClient,
} from './oauth-client-store.js';
import { grantScopes } from './scopes.js';

export interface OAuthDeps {
  auth: AuthDeps;
  roles: TenantRoles;
  clientTokenKey: Uint8Array;
  tokenTtlSeconds: number;
}

const createSchema = z.object({
  name: z.string().trim().min(1, { message: 'is required' }).max(100),
  scopes: z.array(scopeSchema).min(1, { message: 'name at least one scope' }).max(50),
  expiresAt: z.iso
    .datetime({ message: 'must be an ISO date-time' })
    .refine((v) => new Date(v).getTime() > Date.now(), { message: 'must be in the future' })
    .nullable()
    .default(null),
});

/** An RFC 6749 §5.2 error answer (the token endpoint speaks OAuth, not our `{error:{code}}` shape). */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/**
 * POST /oauth/token (client credentials grant, RFC 6749 §4.4) and the administrators' client management:
 * POST/GET /auth/oauth-clients, DELETE /auth/oauth-clients/:id.
 */
export function oauthRoutes(deps: OAuthDeps): Router {
  const { auth, roles } = deps;
  const { db } = auth;
  const router = new Router();

  router.post('/oauth/token', async (ctx: AppContext) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    try {
      ctx.body = await issueToken(ctx, deps);
    } catch (err) {
      if (err instanceof TooManyAttempts) {
        ctx.set('Retry-After', String(err.retryAfterSeconds));
        ctx.status = 429;
        ctx.body = { error: 'slow_down', error_description: err.message };
        return;
      }
      if (!(err instanceof OAuthError)) throw err;
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      ctx.status = err.status;
      ctx.body = { error: err.error, error_description: err.description };
    }
  });

  router.post('/auth/oauth-clients', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    const input = parseJsonBody(ctx, createSchema);
    const { clientSecret, view } = await createOAuthClient(db, {
      tenantId: tenant.id,
      createdBy: principal.identityId,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    await audit(db, ctx, {
      type: 'oauth_client_created',
      identityId: principal.identityId,
      details: { oauthClientId: view.id, clientId: view.clientId },
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = { ...view, clientSecret };
  });

  router.get('/auth/oauth-clients', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { oauthClients: await listOAuthClients(db, tenant.id) };
  });

  router.delete('/auth/oauth-clients/:id', async (ctx: AppContext & { params: Record<string, string> }) => {
    const tenant = requireTenant(ctx);
    const principal = await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    const id = z.uuid({ message: 'must be an OAuth client id' }).safeParse(ctx.params.id);
    if (!id.success) throw ValidationFailed.fromZod(id.error, ['id']);
    if (!(await revokeOAuthClient(db, tenant.id, id.data))) throw new NotFound('No such OAuth client');
    await audit(db, ctx, {
      type: 'oauth_client_revoked',
      identityId: principal.identityId,
      details: { oauthClientId: id.data },
    });
    ctx.status = 204;
  });

  return router;
}

async function issueToken(ctx: AppContext, deps: OAuthDeps) {
  const tenant = requireTenant(ctx);
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(ctx.get('Content-Type')))
    throw new OAuthError(400, 'invalid_request', 'Send the body as application/x-www-form-urlencoded');
  const form = new URLSearchParams(ctx.state.rawBody?.toString('utf8') ?? '');
  for (const name of new Set(form.keys()))
    if (form.getAll(name).length > 1) throw new OAuthError(400, 'invalid_request', `${name} is repeated`);
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials')
    throw new OAuthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');

  const credentials = clientCredentials(ctx, form, tenant.slug);
  const invalidClient = new OAuthError(401, 'invalid_client', 'Client authentication failed', {
    'WWW-Authenticate': `Basic realm="${tenant.slug}", charset="UTF-8"`,
  });
  if (!credentials) throw invalidClient;

  // counted like a sign-in (per client id and per IP), before the secret is looked at
  const ticket = await deps.auth.throttle.begin({
    tenantId: tenant.id,
    email: `oauth-client:${credentials.clientId}`,
    ip: ctx.ip,
  });
  const client = await authenticateClient(deps.auth.db, tenant.id, credentials.clientId, credentials.secret);
  if (!client) {
    await recordFailure(ctx, deps.auth, ticket, null, 'oauth_token_failed', 'invalid_client', {
      clientId: credentials.clientId.slice(0, 40),
    });
    throw invalidClient;
  }

  const requested = form.get('scope') ?? undefined;
  const malformed = (requested ?? '')
    .split(' ')
    .filter(Boolean)
    .some((s) => !scopeSchema.safeParse(s).success);
  const scopes = malformed ? null : grantScopes(client.scopes, requested);
  if (!scopes) {
    await deps.auth.throttle.passed(ticket);
    await audit(deps.auth.db, ctx, {
      type: 'oauth_token_failed',
      identityId: client.createdBy,
      details: { clientId: client.clientId, reason: 'invalid_scope' },
    });
    throw new OAuthError(400, 'invalid_scope', 'The requested scope exceeds what this client was granted');
  }
  await deps.auth.throttle.succeeded(ticket);
  await markClientUsed(deps.auth.db, client);
  const { token, expiresIn } = await signClientToken(
    { tenantId: tenant.id, clientRowId: client.id, clientId: client.clientId, scopes },
    deps.clientTokenKey,
    deps.tokenTtlSeconds,
  );
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') };
}

/**
 * HTTP Basic (RFC 6749 §2.3.1: id and secret form-url-encoded, then base64) or `client_id` +
 * `client_secret` in the body; both at once is refused, as the RFC requires one method per request.
 */
function clientCredentials(
  ctx: AppContext,
  form: URLSearchParams,
  realm: string,
): { clientId: string; secret: string } | null {
  const header = ctx.get('Authorization');
  const inBody = form.has('client_id') || form.has('client_secret');
  if (header) {
    if (inBody)
      throw new OAuthError(400, 'invalid_request', 'Authenticate the client one way: Basic or the body');
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 1)
      throw new OAuthError(401, 'invalid_client', 'Use HTTP Basic client authentication', {
        'WWW-Authenticate': `Basic realm="${realm}", charset="UTF-8"`,
      });
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
        secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
      };
    } catch {
      return null;
    }
  }
  const clientId = form.get('client_id');
  const secret = form.get('client_secret');
  return clientId && secret ? { clientId, secret } : null;
}
