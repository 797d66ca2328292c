import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubernetesDriver } from './driver.js';

/**
 * The operator's HTTP surface in cluster mode: /healthz (alive), /readyz (a standby, or a leader whose
 * informers have synced) and /metrics (Prometheus text format).
 */
export function kubeHealthHandler(driver: Pick<KubernetesDriver, 'ready' | 'metrics' | 'isLeader'>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { status: 'method not allowed' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz')
      return driver.ready()
        ? json(200, { status: 'ready', leader: driver.isLeader() })
        : json(503, { status: 'not ready' });
    if (path === '/metrics') {
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(driver.metrics());
      return;
    }
    json(404, { status: 'not found' });
  };
}
