import { TENANT_SLUG } from '../tenant-slug.js';

/** Sub-domains of the base domain that belong to the platform itself (same list as platform-api). */
const RESERVED_LABELS = new Set(['www', 'api', 'app', 'admin', 'platform']);

/**
 * Which workspace a request is for: the `<slug>` of `<slug>.<baseDomain>`, else `defaultTenant`, else null
 * ("unknown workspace"). `host` is the Host header value and may carry a port.
 */
export function tenantFromHost(host: string, baseDomain: string, defaultTenant?: string): string | null {
  const hostname = stripPort(host.trim().toLowerCase()).replace(/\.$/, '');
  const base = baseDomain.toLowerCase();
  if (hostname.endsWith(`.${base}`)) {
    const label = hostname.slice(0, -base.length - 1);
    if (!label.includes('.') && !RESERVED_LABELS.has(label) && TENANT_SLUG.test(label)) return label;
  }
  return defaultTenant ?? null;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1); // [::1]:3000
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
