import type { IncomingMessage, ServerResponse } from 'node:http';
// @ts-expect-error -- koa 3 ships no type declarations and @types/koa is not installed; typed by the facade below
import KoaImpl from 'koa';
import type { RequestState } from './request-state.js';

/**
 * The slice of Koa's context this program uses, typed. Koa 3 has no bundled types, so every middleware
 * here talks to Koa through this interface; if @types/koa is installed later, the @ts-expect-error above
 * fails the typecheck and this file can shrink to re-exports.
 */
export interface AppContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  readonly querystring: string;
  /** Host without port; honours X-Forwarded-Host only when the app trusts its proxy. */
  readonly hostname: string;
  /** Host with port, as the client sent it (or X-Forwarded-Host behind a trusted proxy). */
  readonly host: string;
  readonly ip: string;
  readonly protocol: string;
  readonly headerSent: boolean;
  status: number;
  body: unknown;
  type: string;
  respond?: boolean;
  state: RequestState;
  cookies: { get(name: string): string | undefined };
  get(field: string): string;
  set(field: string, value: string | string[]): void;
  append(field: string, value: string | string[]): void;
  remove(field: string): void;
}

export type Next = () => Promise<void>;
export type Middleware = (ctx: AppContext, next: Next) => Promise<void> | void;

export interface KoaApp {
  proxy: boolean;
  silent: boolean;
  use(middleware: Middleware): KoaApp;
  on(event: 'error', listener: (err: Error, ctx?: AppContext) => void): KoaApp;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}

export function createKoa(options: { proxy: boolean }): KoaApp {
  const Koa = KoaImpl as new (options: { proxy: boolean }) => KoaApp;
  return new Koa({ proxy: options.proxy });
}
