import { NotFound, createLogger, serve, type Served } from '@solar/common';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { createKoa } from './koa.js';

let served: Served;
beforeAll(async () => {
  const logger = createLogger('test', 'silent');
  const app = createKoa({ proxy: false });
  app.use(async (ctx, next) => {
    ctx.state.log = logger;
    await next();
  });
  app.use(errorHandler());
  app.use((ctx) => {
    if (ctx.path === '/typed') throw new NotFound('No such lead');
    throw new Error('SELECT * FROM secrets failed at db.internal:3306');
  });
  served = await serve(app.callback(), { port: 0, logger, graceMs: 0, handleSignals: false });
});
afterAll(() => served?.close());

describe('error mapping', () => {
  it('turns typed errors into their status and JSON body', async () => {
    const res = await request(`http://127.0.0.1:${served.port}/typed`);
    expect(res.statusCode).toBe(404);
    expect(await res.body.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such lead' } });
  });

  it('turns anything else into a bare 500 that reveals nothing', async () => {
    const res = await request(`http://127.0.0.1:${served.port}/boom`);
    expect(res.statusCode).toBe(500);
    const text = await res.body.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong' } });
    expect(text).not.toContain('secrets');
  });
});
