import type { IncomingMessage, ServerResponse } from 'node:http';
import { isReachable, type Knex, type Lifecycle } from '@solar/common';

/**
 * /healthz: the process is alive. /readyz: it is not shutting down and can reach the tenant registry.
 * Everything else is 404; the operator serves no other HTTP.
 */
export function healthHandler(deps: { platformDb: Knex; lifecycle: () => Lifecycle | undefined }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { status: 'method not allowed' });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path === '/readyz') {
      if (deps.lifecycle()?.accepting === false) return reply(503, { status: 'shutting down' });
      void isReachable(deps.platformDb).then((ok) =>
        ok ? reply(200, { status: 'ready' }) : reply(503, { status: 'database unreachable' }),
      );
      return;
    }
    reply(404, { status: 'not found' });
  };
}
