/**
 * Where to go after signing in: only a path on this origin, so `?next=` can never send someone to another
 * site (`//evil.example`, `/\evil.example` and `https://…` all fall back).
 */
export function safeNext(next: string | null | undefined, fallback = '/leads'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\p{Cc}\\]/u.test(next)) return fallback;
  if (next === '/sign-in' || next.startsWith('/sign-in?') || next.startsWith('/sign-out')) return fallback;
  return next;
}

/** /sign-in?next=<where the user was going> */
export function signInUrl(url: URL): string {
  const next = url.pathname + url.search;
  return next === '/' || next === '/leads' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
}
