import type { IncomingMessage } from 'node:http';
import { PayloadTooLarge, ValidationFailed } from '@solar/common';
import type { AppContext, Middleware } from './koa.js';

export interface BodyLimits {
  /** every route not listed in `routes` */
  defaultMaxBytes: number;
  /**
   * Larger limits for named routes, keyed `"<METHOD> <path>"` (e.g. `POST /graphql` for the lead import
   * mutation). Their bodies are not read here but by the route itself (`requestBody`), after tenant
   * resolution, authentication and rate limiting, so only a signed-in caller can make us hold that much.
   */
  routes?: ReadonlyMap<string, number>;
}

/**
 * Reads the request body into ctx.state.rawBody, refusing with 413 as soon as it would exceed the limit: at
 * once when Content-Length says so, otherwise the moment the running count passes the limit. Nothing past
 * the limit is kept, and the connection is closed rather than drained.
 */
export function bodyLimit(limitsOrMaxBytes: BodyLimits | number): Middleware {
  const limits =
    typeof limitsOrMaxBytes === 'number' ? { defaultMaxBytes: limitsOrMaxBytes } : limitsOrMaxBytes;
  const routes = limits.routes ?? new Map<string, number>();
  return async (ctx, next) => {
    if (!hasBody(ctx.req)) return next();
    const routeMax = routes.get(`${ctx.method} ${ctx.path}`);
    const maxBytes = routeMax ?? limits.defaultMaxBytes;
    const declared = Number(ctx.get('Content-Length') || 0);
    if (declared > maxBytes) refuse(ctx, maxBytes);
    if (routeMax !== undefined) {
      ctx.state.deferredBodyMaxBytes = routeMax; // read later by the route: requestBody()
      return next();
    }
    ctx.state.rawBody = await readLimited(ctx, maxBytes);
    await next();
  };
}

/**
 * The request body, for routes that may carry a larger one than the default: read now (once, within the
 * route's limit) if bodyLimit left it for the route. Empty for requests without a body.
 */
export async function requestBody(ctx: AppContext): Promise<Buffer | undefined> {
  const maxBytes = ctx.state.deferredBodyMaxBytes;
  if (ctx.state.rawBody === undefined && maxBytes !== undefined) {
    ctx.state.deferredBodyMaxBytes = undefined;
    ctx.state.rawBody = await readLimited(ctx, maxBytes);
  }
  return ctx.state.rawBody;
}

async function readLimited(ctx: AppContext, maxBytes: number): Promise<Buffer> {
  return readCapped(ctx.req, maxBytes).catch((err: unknown) => {
    if (err instanceof PayloadTooLarge) refuse(ctx, maxBytes);
    throw err;
  });
}

function refuse(ctx: AppContext, maxBytes: number): never {
  ctx.set('Connection', 'close');
  throw new PayloadTooLarge(`Request body is larger than ${maxBytes} bytes`);
}

function hasBody(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(new PayloadTooLarge('body too large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new ValidationFailed({ body: ['request body ended early'] }, 'Request body incomplete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
