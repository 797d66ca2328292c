/** Name shared with platform-api (platform-api/src/sessions/session-cookie.ts). */
export const SESSION_COOKIE = 'solar_session';

export interface ReceivedCookie {
  value: string;
  /** seconds; from Max-Age, else from Expires relative to `now` */
  maxAge?: number;
}

/**
 * Finds cookie `name` among an upstream answer's Set-Cookie values, so the web origin can set the same session
 * with its own flags. A cookie being cleared (empty value or Max-Age<=0) comes back with maxAge 0.
 */
export function readSetCookie(setCookies: string[], name: string, now = Date.now()): ReceivedCookie | null {
  for (const header of setCookies) {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    let maxAge: number | undefined;
    let expires: number | undefined;
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const attrValue = rest.join('=').trim();
      if (key.trim().toLowerCase() === 'max-age' && /^-?\d+$/.test(attrValue)) maxAge = Number(attrValue);
      if (key.trim().toLowerCase() === 'expires') {
        const at = Date.parse(attrValue);
        if (!Number.isNaN(at)) expires = at;
      }
    }
    // Max-Age wins over Expires, as in browsers.
    if (maxAge === undefined && expires !== undefined) maxAge = Math.floor((expires - now) / 1000);
    if (value === '' || (maxAge !== undefined && maxAge <= 0)) return { value: '', maxAge: 0 };
    return maxAge === undefined ? { value } : { value, maxAge };
  }
  return null;
}

export interface SessionCookieOptions {
  path: '/';
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  maxAge?: number;
}

/** The flags the session cookie carries on the web origin; Secure whenever the page itself came over https. */
export function sessionCookieOptions(url: URL, maxAge?: number): SessionCookieOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

/** Session tokens are opaque but plain: refuse anything that could smuggle a second cookie or header. */
export function isPlausibleToken(token: string | undefined | null): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9._~-]{16,512}$/.test(token);
}

/** The only cookie the web server ever forwards to platform-api. */
export function upstreamCookieHeader(token: string | null): string | undefined {
  return isPlausibleToken(token) ? `${SESSION_COOKIE}=${token}` : undefined;
}
