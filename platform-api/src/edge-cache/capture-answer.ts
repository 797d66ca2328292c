import { Readable } from 'node:stream';
import type { AppContext } from '../http/koa.js';
import { isEventStream } from '../proxy/event-stream.js';
import { toUpstreamError } from '../proxy/upstream-errors.js';
import { etagOf } from './etag.js';
import type { CachedAnswer } from './cache-store.js';
import { CACHE_TAGS_HEADER, MAX_TAGS, tagsFromHeader, tagsFromJson } from './response-tags.js';

/** Representation headers kept with an entry; anything else (Set-Cookie above all) is never stored. */
const KEPT_HEADERS = ['content-type', 'content-language'];

export type Capture =
  { cacheable: true; answer: CachedAnswer; tags: string[] } | { cacheable: false; reason: string };

/**
 * Looks at the answer the routes below produced and decides whether it may be cached: a 200 without
 * Set-Cookie or `Cache-Control: no-store`, no GraphQL `errors`, at most `maxBytes`, and naming at least one
 * tag (an answer no change event can reach would stay stale until its TTL). A streamed body is read into
 * memory up to the limit and handed back to Koa unchanged.
 */
export async function captureAnswer(ctx: AppContext, maxBytes: number): Promise<Capture> {
  const headerTags = tagsFromHeader(ctx.res.getHeader(CACHE_TAGS_HEADER));
  ctx.remove(CACHE_TAGS_HEADER); // internal: never shown to clients
  if (ctx.status !== 200) return { cacheable: false, reason: `status ${ctx.status}` };
  if (ctx.res.hasHeader('set-cookie')) return { cacheable: false, reason: 'set-cookie' };
  if (/\bno-store\b/i.test(String(ctx.res.getHeader('cache-control') ?? '')))
    return { cacheable: false, reason: 'no-store' };
  // a live stream would be read here forever
  if (isEventStream(ctx.res.getHeader('content-type') as string | undefined))
    return { cacheable: false, reason: 'event stream' };

  const body = await bufferBody(ctx, maxBytes);
  if (!body) return { cacheable: false, reason: 'body too large or not bufferable' };
  const contentType = String(ctx.res.getHeader('content-type') ?? '');
  const tags = new Set(headerTags);
  if (/[/+]json\b/i.test(contentType)) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return { cacheable: false, reason: 'unparseable json' };
    }
    if (json !== null && typeof json === 'object' && 'errors' in json)
      return { cacheable: false, reason: 'errors' };
    for (const tag of tagsFromJson(json)) tags.add(tag);
  }
  if (tags.size === 0) return { cacheable: false, reason: 'untagged' };
  if (tags.size > MAX_TAGS) return { cacheable: false, reason: 'too many tags' };

  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = ctx.res.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  return {
    cacheable: true,
    answer: { status: 200, headers, body, etag: etagOf(contentType, body) },
    tags: [...tags].sort(),
  };
}

/**
 * The body as one Buffer (and set back on ctx as that Buffer), or null when it is larger than `maxBytes`
 * or of a kind we do not read; then ctx.body still delivers every byte to the client.
 */
async function bufferBody(ctx: AppContext, maxBytes: number): Promise<Buffer | null> {
  const body = ctx.body;
  if (Buffer.isBuffer(body)) return body.length <= maxBytes ? body : null;
  if (typeof body === 'string') {
    const buf = Buffer.from(body, 'utf8');
    return buf.length <= maxBytes ? buf : null;
  }
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    let size = 0;
    const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        chunks.push(chunk);
        size += chunk.length;
        if (size > maxBytes) {
          // too big to keep: replay what was read, then the rest, as the client's body
          ctx.body = Readable.from(
            (async function* () {
              yield* chunks;
              for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
            })(),
          );
          return null;
        }
      }
    } catch (err) {
      throw toUpstreamError(err);
    }
    const buf = Buffer.concat(chunks);
    ctx.body = buf;
    return buf;
  }
  if (body !== null && typeof body === 'object') {
    // a route's JSON object: serialise it once here, exactly as Koa would
    const buf = Buffer.from(JSON.stringify(body), 'utf8');
    if (!ctx.res.hasHeader('content-type')) ctx.set('content-type', 'application/json; charset=utf-8');
    ctx.body = buf;
    return buf.length <= maxBytes ? buf : null;
  }
  return null;
}
