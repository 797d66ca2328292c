import { createHash } from 'node:crypto';

export interface CacheKeyParts {
  tenantId: string;
  /** who may see what: the same key means the same visible rows */
  viewerScope: string;
  method: string;
  path: string;
  params: URLSearchParams;
  accept: string;
}

/**
 * The entry key: a hash over the tenant, the viewer's scope and the request's representation. Query
 * parameters are sorted so `?a=1&b=2` and `?b=2&a=1` share an entry; each part is JSON-encoded so no two
 * different requests can concatenate to the same input.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const sorted = [...parts.params].sort(([ka, va], [kb, vb]) =>
    ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1,
  );
  const material = JSON.stringify([
    parts.tenantId,
    parts.viewerScope,
    parts.method,
    parts.path,
    sorted,
    parts.accept,
  ]);
  return createHash('sha256').update(material).digest('base64url');
}
