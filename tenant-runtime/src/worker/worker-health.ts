import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * /healthz: the process is up. /readyz: not shutting down, and the platform DB and Redis answer.
 * Everything else is 404: the worker serves no API.
 */
export function workerHealth(deps: {
  ready: () => Promise<boolean>;
  isAccepting: () => boolean;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { status: 'method not allowed' });
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      if (!deps.isAccepting()) return send(res, 503, { status: 'shutting-down' });
      void deps.ready().then(
        (ok) => send(res, ok ? 200 : 503, { status: ok ? 'ready' : 'unavailable' }),
        () => send(res, 503, { status: 'unavailable' }),
      );
      return;
    }
    send(res, 404, { status: 'not found' });
  };
}
