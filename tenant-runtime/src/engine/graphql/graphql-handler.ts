import { Readable } from 'node:stream';
import { createYoga } from 'graphql-yoga';
import { requestContextFrom, type RuntimeState } from '../context.js';
import type { Middleware } from '../http/koa.js';
import { armorPlugin } from './armor.js';
import type { GraphQLModule, ServerContext } from './context.js';
import { maskError } from './error-mapping.js';
import { useLogUnexpectedErrors, useRequestErrorStatus } from './plugins.js';
import { buildSchema } from './schema.js';

export const GRAPHQL_PATH = '/graphql';
const INTERNAL_ORIGIN = 'http://tenant-runtime.internal';

/** Headers that describe the hop to us, not the GraphQL request; the body is already buffered. */
const SKIP_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
]);

/**
 * The tenant GraphQL API as a Koa middleware: Yoga with armor limits (depth, cost, aliases, tokens), typed
 * error mapping and 4xx for request errors. Runs after authentication and tenant resolution, so every
 * operation gets a complete request context; the body was read (within the size limit) by read-body.
 */
export function graphqlHandler(options: {
  modules: readonly GraphQLModule[];
  /** row-scoped table names, which the request's data access refuses to hand out unscoped */
  scopedTables?: readonly string[];
  maxBodyBytes: number;
  production: boolean;
}): Middleware<RuntimeState> {
  const yoga = createYoga<ServerContext>({
    schema: buildSchema(options.modules),
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: false,
    logging: false,
    batching: false,
    maxRequestBodySize: options.maxBodyBytes,
    maskedErrors: { maskError },
    plugins: [
      armorPlugin({ production: options.production }),
      useRequestErrorStatus(),
      useLogUnexpectedErrors(),
    ],
  });

  return async (ctx, next) => {
    if (ctx.path !== GRAPHQL_PATH) return next();
    // Yoga's own Fetch classes: a platform Request would be converted (streams, signals) on the way in
    const headers = new yoga.fetchAPI.Headers();
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (value === undefined || SKIP_HEADERS.has(name)) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const body = ctx.method !== 'GET' && ctx.method !== 'HEAD' ? (ctx.state.body ?? Buffer.alloc(0)) : null;
    // the client going away aborts the operation (a subscription then releases its change listener)
    const gone = new AbortController();
    ctx.res.once('close', () => gone.abort());
    // Yoga needs only path and query; a fixed origin keeps the client's Host header out of it
    const request = new yoga.fetchAPI.Request(`${INTERNAL_ORIGIN}${ctx.url}`, {
      method: ctx.method,
      headers,
      signal: gone.signal,
      ...(body ? { body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) } : {}),
    });
    const response = await yoga.fetch(request, {
      requestContext: requestContextFrom(ctx.state, options.scopedTables),
    });
    ctx.status = response.status;
    response.headers.forEach((value, name) => {
      // Yoga marks event streams "Content-Encoding: none" to stop compression; "none" is not a real coding and
      // proxies and browsers may reject it. Nothing here compresses; downstream must not either.
      if (name.toLowerCase() === 'content-encoding' && value === 'none') return;
      ctx.set(name, value);
    });
    if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // Server-Sent Events (subscriptions): stream each event as Yoga produces it, never buffer. Koa
      // destroys the stream when the response closes, which cancels Yoga's iterator.
      ctx.req.socket.setNoDelay(true);
      ctx.set('x-accel-buffering', 'no');
      ctx.body = nodeStreamOf(response.body);
      return;
    }
    ctx.body = Buffer.from(await response.arrayBuffer());
  };
}

/**
 * Yoga's response body (a WHATWG ReadableStream; Yoga's own ponyfill, which Node's Readable.fromWeb
 * refuses) as a Node stream that Koa can pipe: each chunk is written as soon as it is read, and destroying
 * the Node stream (the client went away) cancels the body, which ends the subscription behind it.
 */
function nodeStreamOf(body: ReadableStream<Uint8Array>): Readable {
  const reader = body.getReader();
  return new Readable({
    read() {
      reader.read().then(
        ({ done, value }) => this.push(done ? null : Buffer.from(value)),
        (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
      );
    },
    destroy(err, callback) {
      reader.cancel(err ?? undefined).then(
        () => callback(err),
        () => callback(err),
      );
    },
  });
}
