import { error } from '@sveltejs/kit';
import { tileUrl } from '$lib/map/tiles';
import type { RequestHandler } from './$types';

/** OpenStreetMap asks every app to name itself; tiles are fetched from here, never by the browser. */
const USER_AGENT = 'SolarCRM/0.1 (+https://github.com/solar-crm; site maps for installer staff)';

/**
 * GET /customers/map-tiles/:z/:x/:y — OpenStreetMap tiles through our own origin, so the page's CSP stays
 * `img-src 'self'` and staff browsers never call a third party. Signed-in staff only (not an open proxy);
 * tiles are cached by the browser for a day, as OSM's tile policy asks.
 */
export const GET: RequestHandler = async ({ params, locals, fetch }) => {
  if (!locals.sessionToken) error(401, { code: 'UNAUTHENTICATED', message: 'Sign in to see maps' });
  const upstream = tileUrl(params.z, params.x, params.y);
  if (!upstream) error(404, { code: 'NOT_FOUND', message: 'No such tile' });
  let response: Response;
  try {
    response = await fetch(upstream, {
      headers: { 'user-agent': USER_AGENT, accept: 'image/png' },
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    return new Response(null, { status: 504, headers: { 'cache-control': 'no-store' } });
  }
  if (!response.ok) return new Response(null, { status: 502, headers: { 'cache-control': 'no-store' } });
  return new Response(response.body, {
    headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=86400' },
  });
};
