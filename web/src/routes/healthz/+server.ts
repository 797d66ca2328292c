import type { RequestHandler } from './$types';

/** Liveness for the process supervisor and Kubernetes; depends on nothing else. */
export const GET: RequestHandler = () =>
  new Response('ok', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
