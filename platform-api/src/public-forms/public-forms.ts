import { AppError, NotFound, PayloadTooLarge, ValidationFailed, type Logger } from '@solar/common';
import type { CryptoKey } from 'jose';
import type { PlatformConfig } from '../config.js';
import type { AppContext, Middleware } from '../http/koa.js';
import { createInternalTokenCache } from '../proxy/internal-token-cache.js';
import { toUpstreamError } from '../proxy/upstream-errors.js';
import type { UpstreamPools } from '../proxy/upstream-pools.js';
import { RateLimited } from '../rate-limit/rate-limit.js';
import { createResilientLimiter } from '../rate-limit/resilient-limiter.js';
import type { Redis } from '../redis/redis-client.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { TenantUnavailable } from '../tenancy/tenant-errors.js';
import { EMBED_SCRIPT } from './embed-script.js';

const FORM_PATH = /^\/forms\/(fk_[A-Za-z0-9_-]{32})$/;

/** The form's origins do not include the page that sent it. */
export class FormOriginRefused extends AppError {
  readonly status = 403;
  readonly code = 'FORM_ORIGIN_REFUSED';
}

class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export interface PublicFormsDeps {
  config: Pick<
    PlatformConfig,
    | 'FORM_RATE_LIMIT'
    | 'FORM_RATE_LIMIT_WINDOW_SECONDS'
    | 'FORM_MAX_BODY_BYTES'
    | 'REDIS_KEY_PREFIX'
    | 'UPSTREAM_TIMEOUT_MS'
  >;
  redis: Redis;
  pools: UpstreamPools;
  internalKey: CryptoKey;
  logger: Logger;
}

interface RuntimeAnswer {
  status: number;
  body: unknown;
  retryAfter: string | undefined;
}

/** What the runtime says about a form (GET /forms/:key there). */
interface FormDescription {
  name: string;
  fields: Array<{ name: string; required: boolean }>;
  honeypotField: string;
  startedToken: string;
  minFillSeconds: number;
  allowedOrigins: string[];
}

/**
 * Public web-form lead capture, for forms installers embed on their own sites; no session, no API key:
 *   GET     /forms/embed.js  the embed script (embed-script.ts)
 *   OPTIONS /forms/:key   CORS preflight, granted only to the form's allowed origins
 *   GET     /forms/:key   the form's fields and a signed start time (the embed script calls it on load)
 *   POST    /forms/:key   a submission, JSON or url-encoded, at most FORM_MAX_BODY_BYTES, rate-limited per
 *                         (address, form key) → 201 { received: true }
 * The tenant comes from the host or X-Tenant as for every request; the form key is looked up in that
 * tenant's runtime only, so another tenant's key is a 404. The runtime is called with an internal token
 * for a dedicated non-member subject (`form:<key prefix>`, scope forms:submit) that can do nothing else.
 * Mounted right after tenant resolution: before the tenant-wide CORS and the cookie CSRF check, neither of
 * which applies (the form's own origins decide, and no cookie is involved).
 */
export function publicForms(deps: PublicFormsDeps): Middleware {
  const { config } = deps;
  const tokens = createInternalTokenCache(deps.internalKey);
  const limiter = createResilientLimiter(
    deps.redis,
    config.REDIS_KEY_PREFIX,
    {
      name: 'rl-form',
      points: config.FORM_RATE_LIMIT,
      durationSeconds: config.FORM_RATE_LIMIT_WINDOW_SECONDS,
    },
    deps.logger,
  );

  const callRuntime = async (
    ctx: AppContext,
    key: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<RuntimeAnswer> => {
    const tenant = requireTenant(ctx);
    if (!tenant.endpoint) throw new TenantUnavailable();
    const subject = `form:${key.slice(3, 11)}`;
    const token = await tokens.tokenFor({
      tid: tenant.id,
      tslug: tenant.slug,
      sub: subject,
      sid: subject,
      scopes: ['forms:submit'],
    });
    const { pool, basePath } = deps.pools.forEndpoint(tenant.endpoint);
    try {
      const res = await pool.request({
        method,
        path: `${basePath}${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'x-request-id': ctx.state.requestId,
          'x-forwarded-for': ctx.ip,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        headersTimeout: config.UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
      });
      const retryAfter = res.headers['retry-after'];
      return {
        status: res.statusCode,
        body: await res.body.json().catch(() => null),
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      };
    } catch (err) {
      ctx.state.log.warn({ err }, 'form runtime request failed');
      throw toUpstreamError(err);
    }
  };

  /** The enabled form, or 404 for unknown, disabled or another tenant's key. */
  const describe = async (ctx: AppContext, key: string): Promise<FormDescription> => {
    const answer = await callRuntime(ctx, key, 'GET', `/forms/${key}`);
    if (answer.status === 404) throw new NotFound('No such form');
    if (answer.status !== 200) relay(ctx, answer);
    return answer.body as FormDescription;
  };

  return async (ctx, next) => {
    if (ctx.path === '/forms/embed.js' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      // the same for every tenant and visitor: any cache may keep it a while
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
      ctx.type = 'application/javascript; charset=utf-8';
      ctx.body = EMBED_SCRIPT;
      return;
    }
    const match = FORM_PATH.exec(ctx.path);
    if (!match) {
      if (ctx.path.startsWith('/forms/')) throw new NotFound('No such form');
      return next();
    }
    const key = match[1]!;
    if (!['OPTIONS', 'GET', 'POST'].includes(ctx.method)) {
      ctx.set('Allow', 'OPTIONS, GET, POST');
      ctx.status = 405;
      ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `${ctx.method} is not allowed here` } };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method === 'POST') await countSubmission(ctx, key);
    const form = await describe(ctx, key);
    const origin = ctx.get('Origin');
    if (origin) {
      ctx.append('Vary', 'Origin');
      if (!form.allowedOrigins.includes(origin.toLowerCase()))
        throw new FormOriginRefused('This form does not accept submissions from this site');
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', 'Retry-After');
    }

    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Access-Control-Allow-Methods', 'GET, POST');
      ctx.set('Access-Control-Allow-Headers', 'Content-Type');
      ctx.set('Access-Control-Max-Age', '600');
      return;
    }
    if (ctx.method === 'GET') {
      const { allowedOrigins: _origins, ...visible } = form;
      ctx.body = visible;
      return;
    }
    const fields = submittedFields(ctx, config.FORM_MAX_BODY_BYTES);
    relay(ctx, await callRuntime(ctx, key, 'POST', `/forms/${key}/submissions`, fields));
  };

  /** Per (address, form key): a bot hammering one form from one address is cut off, visitors are not. */
  async function countSubmission(ctx: AppContext, key: string) {
    const state = await limiter.consume(`${ctx.ip || 'unknown'}:${requireTenant(ctx).id}:${key}`);
    if (!state.allowed) throw new RateLimited(Math.max(1, Math.ceil(state.msBeforeReset / 1000)));
  }
}

/** The runtime's answer as ours: status, JSON body and Retry-After (its daily cap). */
function relay(ctx: AppContext, answer: RuntimeAnswer): void {
  ctx.status = answer.status;
  if (answer.retryAfter) ctx.set('Retry-After', answer.retryAfter);
  ctx.body = answer.body ?? {
    error: { code: 'UPSTREAM_UNAVAILABLE', message: 'The workspace gave no answer' },
  };
}

/** The submission as an object of fields, from JSON or a url-encoded HTML form post. */
function submittedFields(ctx: AppContext, maxBytes: number): Record<string, unknown> {
  const raw = ctx.state.rawBody ?? Buffer.alloc(0);
  if (raw.length > maxBytes) throw new PayloadTooLarge(`A form submission may be at most ${maxBytes} bytes`);
  const type = ctx.get('Content-Type').split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(text).entries());
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text || '{}');
    } catch {
      throw new ValidationFailed({ body: ['Not valid JSON'] });
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new ValidationFailed({ body: ['Send the fields as a JSON object'] });
    return value as Record<string, unknown>;
  }
  throw new UnsupportedMediaType('Send application/json or application/x-www-form-urlencoded');
}
