import { Pool } from 'undici';

export interface Upstream {
  pool: Pool;
  /** the endpoint's origin (scheme://host:port): one pool, and one circuit breaker, per origin */
  origin: string;
  /** the endpoint's path prefix without a trailing slash ('' for a bare origin) */
  basePath: string;
}

export interface UpstreamPools {
  /** The keep-alive pool for a runtime endpoint such as http://127.0.0.1:4100 (one per origin). */
  forEndpoint(endpoint: string): Upstream;
  close(): Promise<void>;
}

/**
 * One keep-alive connection pool per runtime origin. A pooled runtime serves many tenants from one origin,
 * so they share connections; a dedicated runtime gets its own.
 */
export function createUpstreamPools(options: { timeoutMs: number; connections?: number }): UpstreamPools {
  const pools = new Map<string, Pool>();
  // endpoint string → its parsed upstream: parsing a URL on every forwarded request showed in profiles
  const upstreams = new Map<string, Upstream>();
  return {
    forEndpoint(endpoint) {
      const known = upstreams.get(endpoint);
      if (known) return known;
      const url = new URL(endpoint);
      let pool = pools.get(url.origin);
      if (!pool) {
        pool = new Pool(url.origin, {
          connections: options.connections ?? 64,
          connectTimeout: Math.min(options.timeoutMs, 10_000),
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
          keepAliveTimeout: 30_000,
        });
        pools.set(url.origin, pool);
      }
      const upstream = { pool, origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
      if (upstreams.size >= 10_000) upstreams.clear(); // bounded by the routing table in practice
      upstreams.set(endpoint, upstream);
      return upstream;
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      upstreams.clear();
      await Promise.all(all.map((p) => p.close()));
    },
  };
}
