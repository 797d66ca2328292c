import helmet from 'koa-helmet';
import type { Middleware } from './koa.js';

/**
 * Helmet's defaults (nosniff, frame denial, HSTS, a strict CSP, no X-Powered-By). This server answers with
 * JSON only, so the strict defaults cost nothing; the web app sets its own headers for HTML.
 */
export function securityHeaders(): Middleware {
  return helmet() as Middleware;
}
