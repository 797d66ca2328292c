export const SESSION_COOKIE = 'solar_session';

/**
 * Set-Cookie values written by hand rather than through Koa's cookie jar, which refuses `Secure` on a
 * plain-http hop even when TLS ends at the proxy in front of us.
 */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return serialize(
    `${SESSION_COOKIE}=${token}`,
    `Max-Age=${maxAge}`,
    `Expires=${expiresAt.toUTCString()}`,
    secure,
  );
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(`${SESSION_COOKIE}=`, 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', secure);
}

function serialize(pair: string, maxAge: string, expires: string, secure: boolean): string {
  return [pair, 'Path=/', maxAge, expires, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join(
    '; ',
  );
}
