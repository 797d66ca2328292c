import { PayloadTooLarge } from '@solar/common';
import type { RuntimeState } from '../context.js';
import type { Middleware } from './koa.js';

/**
 * Reads the request body into ctx.state.body, refusing anything over `maxBytes` with 413 before a byte is
 * parsed: at once when Content-Length says so, otherwise as soon as the streamed total crosses the limit.
 */
export function readBody(maxBytes: number): Middleware<RuntimeState> {
  return async (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return next();
    const declared = ctx.get('content-length');
    if (declared !== '' && Number(declared) > maxBytes) throw tooLarge(maxBytes);
    ctx.state.body = await collect(ctx.req, maxBytes);
    return next();
  };
}

function tooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge(`Request body is larger than ${maxBytes} bytes`);
}

function collect(req: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        req.resume(); // discard the rest; Node closes the exchange once the 413 is sent
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
