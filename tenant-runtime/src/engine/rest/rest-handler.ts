import { NotFound, ValidationFailed } from '@solar/common';
import type { z } from 'zod';
import { requestContextFrom, type RequestContext, type RuntimeState } from '../context.js';
import type { KoaContext, Middleware } from '../http/koa.js';
import { etagOf, tagMatches } from './etag.js';
import { checkKey, claimKey, completeKey, releaseKey, requestHash } from './idempotency.js';
import { buildOpenApi } from './openapi.js';
import { PreconditionFailed } from './rest-errors.js';
import type { RestRoute } from './rest-route.js';

export const REST_PREFIX = '/api/v1';

interface Compiled {
  route: RestRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: RestRoute): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * REST under /api/v1, behind the same authenticate → tenant → access chain as /graphql, calling the same
 * services (so row scope applies). Typed errors reach error-handler.ts like any other. Also serves the
 * OpenAPI document generated from the routes' zod schemas at /api/v1/openapi.json.
 */
export function restHandler(options: {
  routes: readonly RestRoute[];
  scopedTables: readonly string[];
}): Middleware<RuntimeState> {
  const compiled = options.routes.map(compile);
  const openApi = buildOpenApi(options.routes);
  return async (ctx, next) => {
    if (ctx.path !== REST_PREFIX && !ctx.path.startsWith(`${REST_PREFIX}/`)) return next();
    const rel = ctx.path.slice(REST_PREFIX.length) || '/';
    if (rel === '/openapi.json' && ctx.method === 'GET') {
      ctx.body = openApi;
      return;
    }
    const onPath = compiled.filter((c) => c.pattern.test(rel));
    if (onPath.length === 0) throw new NotFound(`No such endpoint: ${ctx.method} ${ctx.path}`);
    const hit = onPath.find((c) => c.route.method === ctx.method);
    if (!hit) {
      ctx.set('Allow', onPath.map((c) => c.route.method).join(', '));
      ctx.status = 405;
      ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `${ctx.method} is not allowed here` } };
      return;
    }
    const match = hit.pattern.exec(rel)!;
    const params = Object.fromEntries(hit.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
    await run(ctx, hit.route, params, requestContextFrom(ctx.state, options.scopedTables));
  };
}

async function run(
  ctx: KoaContext<RuntimeState>,
  route: RestRoute,
  params: Record<string, string>,
  rc: RequestContext,
): Promise<void> {
  const query = route.query ? validate(route.query, queryObject(ctx.url)) : {};
  const body = route.body ? validate(route.body, jsonBody(ctx.state.body), true) : undefined;

  const ifMatch = ctx.get('if-match');
  if (ifMatch !== '' && route.current) {
    const current = await route.current(rc, params);
    if (current === null || current === undefined) throw new NotFound('No such record');
    if (!tagMatches(ifMatch, etagOf(current)))
      throw new PreconditionFailed('The resource changed since you read it; fetch it again');
  }

  const key = route.method === 'POST' ? ctx.get('idempotency-key') : '';
  if (key === '' || rc.tenant.readOnly) {
    respond(ctx, route, await route.handle(rc, { params, query, body }));
    return;
  }
  // keys belong to the caller (a member's id is their platform identity id; machine callers have no member)
  const memberId = rc.caller.userId;
  const idemKey = checkKey(key);
  const claim = await claimKey(
    rc.data,
    memberId,
    idemKey,
    route.operationId,
    requestHash(operationOf(route, params), body),
  );
  if (claim.kind === 'replay') {
    ctx.set('Idempotent-Replayed', 'true');
    respond(ctx, route, claim.answer.body, claim.answer.status);
    return;
  }
  let result: unknown;
  try {
    result = await route.handle(rc, { params, query, body });
  } catch (err) {
    await releaseKey(rc.data, memberId, idemKey);
    throw err;
  }
  await completeKey(rc.data, memberId, idemKey, { status: route.status ?? 200, body: result });
  respond(ctx, route, result);
}

/** The operation plus its path parameters: the same key on another resource is another request. */
const operationOf = (route: RestRoute, params: Record<string, string>) =>
  `${route.operationId} ${JSON.stringify(params)}`;

function respond(
  ctx: KoaContext<RuntimeState>,
  route: RestRoute,
  result: unknown,
  status: number = route.status ?? 200,
) {
  if (status === 204) {
    ctx.status = 204;
    return;
  }
  if (route.method !== 'DELETE' && result && typeof result === 'object' && !Array.isArray(result)) {
    const etag = etagOf(result);
    ctx.set('ETag', etag);
    const ifNoneMatch = ctx.get('if-none-match');
    if (route.method === 'GET' && ifNoneMatch !== '' && tagMatches(ifNoneMatch, etag)) {
      ctx.status = 304;
      return;
    }
  }
  ctx.status = status;
  ctx.body = result;
}

function validate<T>(schema: z.ZodType<T>, value: unknown, raw = false): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  // bodies go to the service as sent; it validates (and transforms) them itself
  return raw ? (value as T) : parsed.data;
}

/** Query string → object; a repeated parameter becomes an array. */
function queryObject(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const search = new URL(url, 'http://x').searchParams;
  for (const name of new Set(search.keys())) {
    const all = search.getAll(name);
    out[name] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

function jsonBody(buffer: Buffer | undefined): unknown {
  const text = buffer?.toString('utf8') ?? '';
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationFailed({ body: ['Not valid JSON'] });
  }
}
