/**
 * Where to send the browser after sign-in: only a path on this same host. Anything that could leave it
 * (absolute URLs, `//host`, `/\host`, control characters) falls back to `/`.
 */
export function safeNext(value: string | null | undefined): string {
  if (!value || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  try {
    // Resolving against a fixed origin catches anything that still manages to name another host.
    const url = new URL(value, 'https://same.invalid');
    if (url.origin !== 'https://same.invalid') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
