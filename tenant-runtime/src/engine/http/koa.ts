import { createRequire } from 'node:module';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/*
 * Koa 3 ships no type declarations and @types/koa is not installed, so this file is the small, typed
 * surface of Koa we use. It loads Koa through `require` to stay independent of any ambient declaration
 * another workspace may add. Swap for `import Koa from 'koa'` once @types/koa is a dependency.
 */

export interface KoaContext<State> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  /** path + query string */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** a request header, '' when absent */
  get(field: string): string;
  set(field: string, value: string | string[]): void;
  append(field: string, value: string | string[]): void;
  status: number;
  body: unknown;
  state: State;
}

export type Next = () => Promise<void>;
export type Middleware<State> = (ctx: KoaContext<State>, next: Next) => Promise<void>;

export interface KoaApp<State> {
  use(middleware: Middleware<State>): KoaApp<State>;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: 'error', listener: (err: Error) => void): KoaApp<State>;
  /** true: Koa does not print errors itself (our error middleware logs them) */
  silent: boolean;
}

const require = createRequire(import.meta.url);
const KoaCtor = require('koa') as new (options?: { proxy?: boolean }) => KoaApp<unknown>;

export function createKoa<State>(): KoaApp<State> {
  const app = new KoaCtor({ proxy: false }) as KoaApp<State>;
  app.silent = true;
  return app;
}
