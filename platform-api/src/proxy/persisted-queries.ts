import { createHash } from 'node:crypto';
import { ValidationFailed } from '@solar/common';
import { z } from 'zod';
import type { AppContext } from '../http/koa.js';
import type { PersistedQueryStore } from './persisted-query-store.js';

/**
 * Automatic persisted queries (APQ) in front of a runtime that does not know them: a client sends
 * `extensions={"persistedQuery":{"version":1,"sha256Hash":…}}` (GET query string or POST body). With the
 * query text the hash is checked (sha256 of the text) and remembered for the tenant; without it the text
 * is looked up. Either way the runtime receives an ordinary query without the extension.
 */
const persistedQuerySchema = z.object({
  version: z.literal(1),
  sha256Hash: z.string().regex(/^[a-f0-9]{64}$/, { message: 'must be a lowercase hex sha256' }),
});
const postBodySchema = z.looseObject({
  query: z.string().optional(),
  extensions: z.looseObject({ persistedQuery: persistedQuerySchema }),
});

/** What a client gets for an unknown hash: Apollo's wording, so its clients retry with the text. */
export const PERSISTED_QUERY_NOT_FOUND = {
  errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
};

export type Forwarded = { kind: 'forward'; querystring: string; body: Buffer | null } | { kind: 'not-found' };

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The query string and body to send upstream. Requests without the APQ extension pass through untouched
 * (and unparsed: the check is a substring test first, so ordinary traffic pays nothing).
 */
export async function resolvePersistedQuery(
  ctx: AppContext,
  store: PersistedQueryStore | null,
  tenantId: string,
): Promise<Forwarded> {
  const raw = ctx.method === 'GET' ? null : (ctx.state.rawBody ?? Buffer.alloc(0));
  if (ctx.method === 'GET') {
    if (!ctx.querystring.includes('persistedQuery')) return passThrough(ctx.querystring, null);
    const params = new URLSearchParams(ctx.querystring);
    const extensions = params.get('extensions');
    // `id=` names an operation the runtime itself knows: its request, not ours to resolve
    if (extensions === null || params.has('id')) return passThrough(ctx.querystring, null);
    const persisted = parseExtension(extensions);
    if (!persisted) return passThrough(ctx.querystring, null);
    const query = await textFor(ctx, store, tenantId, persisted.sha256Hash, params.get('query'));
    if (query === null) return { kind: 'not-found' };
    params.set('query', query);
    params.delete('extensions');
    return passThrough(params.toString(), null);
  }
  if (!raw || !raw.includes('persistedQuery')) return passThrough(ctx.querystring, raw);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return passThrough(ctx.querystring, raw); // the runtime answers for bad JSON
  }
  const parsed = postBodySchema.safeParse(json);
  if (!parsed.success) return passThrough(ctx.querystring, raw);
  const { query: sent, extensions, ...rest } = parsed.data;
  const { persistedQuery: _dropped, ...otherExtensions } = extensions;
  const query = await textFor(ctx, store, tenantId, parsed.data.extensions.persistedQuery.sha256Hash, sent);
  if (query === null) return { kind: 'not-found' };
  const body = {
    ...rest,
    query,
    ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}),
  };
  return passThrough(ctx.querystring, Buffer.from(JSON.stringify(body), 'utf8'));
}

function passThrough(querystring: string, body: Buffer | null): Forwarded {
  return { kind: 'forward', querystring, body };
}

function parseExtension(text: string): z.infer<typeof persistedQuerySchema> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationFailed({ extensions: ['must be JSON'] });
  }
  if (json === null || typeof json !== 'object' || !('persistedQuery' in json)) return null;
  const parsed = persistedQuerySchema.safeParse(json.persistedQuery);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['extensions', 'persistedQuery']);
  return parsed.data;
}

/**
 * The text for `hash`: the one sent (checked and registered) or the one registered before. Redis being
 * down makes a lookup miss (the client then sends the text) and a registration a no-op: requests are
 * still served.
 */
async function textFor(
  ctx: AppContext,
  store: PersistedQueryStore | null,
  tenantId: string,
  hash: string,
  sent: string | null | undefined,
): Promise<string | null> {
  if (typeof sent === 'string' && sent.length > 0) {
    if (sha256Hex(sent) !== hash)
      throw new ValidationFailed(
        { 'extensions.persistedQuery.sha256Hash': ['does not match the sha256 of the query'] },
        'provided sha does not match query',
      );
    if (store)
      await store.put(tenantId, hash, sent).catch((err: unknown) => {
        ctx.state.log.warn({ err: { message: (err as Error).message } }, 'persisted query not registered');
      });
    return sent;
  }
  if (!store) return null;
  try {
    return await store.get(tenantId, hash);
  } catch (err) {
    ctx.state.log.warn({ err: { message: (err as Error).message } }, 'persisted query lookup failed');
    return null;
  }
}
