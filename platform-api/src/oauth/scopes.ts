/**
 * Does a granted scope cover a requested one? `*` covers everything, `leads:*` every `leads:` scope,
 * anything else only itself. Scopes have the API-key shape (`*`, `resource:action`, `resource:*`).
 */
export function scopeCovers(granted: string, requested: string): boolean {
  if (granted === '*' || granted === requested) return true;
  if (granted.endsWith(':*')) return requested.startsWith(granted.slice(0, -1)) && requested !== '*';
  return false;
}

/**
 * The scopes a token gets: the client's own when none are asked for, else exactly those asked for, provided
 * the client holds each; null when any is beyond the client (RFC 6749 §5.2 invalid_scope).
 */
export function grantScopes(clientScopes: readonly string[], requested: string | undefined): string[] | null {
  const asked = (requested ?? '').split(' ').filter(Boolean);
  if (asked.length === 0) return [...clientScopes];
  const unique = [...new Set(asked)];
  return unique.every((s) => clientScopes.some((g) => scopeCovers(g, s))) ? unique : null;
}
