import { Router } from '@koa/router';
import type { Knex } from '@solar/common';
import * as oidc from 'openid-client';
import { audit } from '../audit/security-events.js';
import type { AppContext } from '../http/koa.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { completeAuthorization } from './complete-authorization.js';
import {
  FLOW_COOKIE,
  clearedFlowCookie,
  deriveFlowKey,
  flowCookie,
  openFlow,
  sealFlow,
} from './flow-state.js';
import { isDuplicate, linkIdentity } from './link-identity.js';
import type { OidcClients } from './oidc-clients.js';
import { safeNext } from './safe-next.js';
import { SsoRefused } from './sso-errors.js';
import { startSsoSession } from './sso-session.js';
import { loadTenantSsoClient } from './tenant-sso-settings.js';

export interface SsoDeps {
  db: Knex;
  config: { COOKIE_SECURE: boolean; SESSION_TTL_HOURS: number };
  /** PLATFORM_SECRET_KEY, parsed: opens client secrets; the flow cookie key is derived from it */
  secretKey: Buffer;
  clients: OidcClients;
}

/** Where the web app shows sign-in (and SSO errors); relative, so it stays on the tenant's host. */
export const SIGN_IN_PATH = '/sign-in';
const SCOPE = 'openid email profile';

/**
 * GET /auth/sso/start?next=/path → 302 to the tenant's provider (authorization code + PKCE S256, state,
 * nonce), with the flow sealed in a cookie bound to this tenant.
 * GET /auth/sso/callback → validates the answer, finds or creates the member, starts a cookie session and
 * 302s to `next`; any refusal 302s to /sign-in?error=<code> having written nothing but the audit event.
 */
export function ssoRoutes(deps: SsoDeps): Router {
  const { db, config, clients } = deps;
  const flowKey = deriveFlowKey(deps.secretKey);
  const router = new Router();

  router.get('/auth/sso/start', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    ctx.set('Cache-Control', 'no-store');
    const next = safeNext(new URLSearchParams(ctx.querystring).get('next'));
    try {
      const client = await loadTenantSsoClient(db, deps.secretKey, tenant.id);
      if (!client) throw new SsoRefused('sso_unavailable', 'sso not configured or disabled');
      const redirectUri = `${ctx.protocol}://${ctx.host}/auth/sso/callback`;
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const authorizationUrl = await clients
        .withClient(client, async (oidcConfig) =>
          oidc.buildAuthorizationUrl(oidcConfig, {
            redirect_uri: redirectUri,
            scope: SCOPE,
            state,
            nonce,
            code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
            code_challenge_method: 'S256',
          }),
        )
        .catch((err: unknown) => {
          throw new SsoRefused('sso_failed', `discovery failed: ${(err as Error).message.slice(0, 200)}`);
        });
      const sealed = sealFlow(
        {
          tenantId: tenant.id,
          issuer: client.issuer,
          clientId: client.clientId,
          state,
          nonce,
          codeVerifier,
          redirectUri,
          next,
        },
        flowKey,
      );
      ctx.append('Set-Cookie', flowCookie(sealed, config.COOKIE_SECURE));
      ctx.state.log.info({ event: 'sso_started', issuer: client.issuer }, 'sso sign-in started');
      redirect(ctx, authorizationUrl.href);
    } catch (err) {
      await refuse(ctx, err);
    }
  });

  router.get('/auth/sso/callback', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    ctx.set('Cache-Control', 'no-store');
    // The flow is spent whatever happens next: a second callback with it finds nothing.
    ctx.append('Set-Cookie', clearedFlowCookie(config.COOKIE_SECURE));
    try {
      const flow = openFlow(ctx.cookies.get(FLOW_COOKIE), flowKey, tenant.id);
      if (!flow) throw new SsoRefused('sso_state_invalid', 'flow cookie missing, expired or foreign');
      const client = await loadTenantSsoClient(db, deps.secretKey, tenant.id);
      if (!client) throw new SsoRefused('sso_unavailable', 'sso not configured or disabled');
      if (client.issuer !== flow.issuer || client.clientId !== flow.clientId)
        throw new SsoRefused('sso_state_invalid', 'sso settings changed during the flow');

      const account = await completeAuthorization(
        clients,
        client,
        flow,
        new URLSearchParams(ctx.querystring),
      );
      const signIn = () =>
        db.transaction(async (trx) => {
          const linked = await linkIdentity(trx, tenant.id, account, client.defaultRole);
          const session = await startSsoSession(ctx, trx, linked.identity, tenant, {
            ttlHours: config.SESSION_TTL_HOURS,
            cookieSecure: config.COOKIE_SECURE,
            via: linked.via,
          });
          return { ...linked, ...session };
        });
      // A concurrent first sign-in of the same person may win the insert; the retry finds its rows.
      const done = await signIn().catch((err: unknown) =>
        isDuplicate(err) ? signIn() : Promise.reject(err),
      );

      ctx.append('Set-Cookie', done.setCookie);
      ctx.state.log.info(
        {
          event: 'sign_in',
          method: 'sso',
          via: done.via,
          userId: done.identity.id,
          sessionId: done.sessionId,
        },
        'signed in with sso',
      );
      redirect(ctx, flow.next);
    } catch (err) {
      await refuse(ctx, err);
    }
  });

  /** A refusal is a redirect the web app explains; anything unexpected is still a redirect, and logged. */
  async function refuse(ctx: AppContext, err: unknown): Promise<void> {
    if (!(err instanceof SsoRefused)) {
      ctx.state.log.error({ err }, 'sso sign-in failed unexpectedly');
      err = new SsoRefused('sso_failed', 'unexpected error');
    }
    const { code, reason } = err as SsoRefused;
    ctx.state.log.info({ event: 'sso_refused', code, reason }, 'sso sign-in refused');
    if (ctx.path.endsWith('/callback'))
      await audit(db, ctx, { type: 'sign_in_failed', details: { method: 'sso', reason: code } });
    redirect(ctx, `${SIGN_IN_PATH}?error=${code}`);
  }

  return router;
}

function redirect(ctx: AppContext, location: string): void {
  ctx.status = 302;
  ctx.set('Location', location);
  // a body, not null: Koa turns a null body into 204
  ctx.type = 'text/plain';
  ctx.body = 'Redirecting';
}
