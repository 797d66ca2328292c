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
    const headers = new Headers();
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (value === undefined || SKIP_HEADERS.has(name)) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const hasBody = ctx.method !== 'GET' && ctx.method !== 'HEAD';
    // Yoga needs only path and query; a fixed origin keeps the client's Host header out of it
    const request = new Request(new URL(ctx.url, INTERNAL_ORIGIN), {
      method: ctx.method,
      headers,
      ...(hasBody ? { body: new Uint8Array(ctx.state.body ?? Buffer.alloc(0)) } : {}),
    });
    const response = await yoga.fetch(request, {
      requestContext: requestContextFrom(ctx.state, options.scopedTables),
    });
    ctx.status = response.status;
    response.headers.forEach((value, name) => ctx.set(name, value));
    ctx.body = Buffer.from(await response.arrayBuffer());
  };
}
