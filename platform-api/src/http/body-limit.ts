import type { IncomingMessage } from 'node:http';
import { PayloadTooLarge, ValidationFailed } from '@solar/common';
import type { Middleware } from './koa.js';

/**
 * Reads the request body into ctx.state.rawBody, refusing with 413 as soon as it would exceed maxBytes: at
 * once when Content-Length says so, otherwise the moment the running count passes the limit. Nothing past
 * the limit is kept, and the connection is closed rather than drained.
 */
export function bodyLimit(maxBytes: number): Middleware {
  return async (ctx, next) => {
    if (!hasBody(ctx.req)) return next();
    const declared = Number(ctx.get('Content-Length') || 0);
    if (declared > maxBytes) refuse();
    ctx.state.rawBody = await readCapped(ctx.req, maxBytes).catch((err: unknown) => {
      if (err instanceof PayloadTooLarge) refuse();
      throw err;
    });
    await next();

    function refuse(): never {
      ctx.set('Connection', 'close');
      throw new PayloadTooLarge(`Request body is larger than ${maxBytes} bytes`);
    }
  };
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
