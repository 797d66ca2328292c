import { hkdfSync } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * Access tokens for bearer clients: HS256 JWTs for this program alone (it both signs and verifies), keyed
 * by a key derived from PLATFORM_SECRET_KEY so no extra secret needs distributing. Only HS256 is accepted,
 * which also rules out `alg: none`. The session named in `sid` is checked too, so revoking a session ends
 * its access tokens at once (on /graphql within SESSION_CACHE_MS: see session-cache.ts).
 */
const ALG = 'HS256';
export const ACCESS_TOKEN_ISSUER = 'solar-crm/platform-api';
export const ACCESS_TOKEN_AUDIENCE = 'solar-crm/api';

export function deriveAccessTokenKey(platformSecretKeyBase64: string): Uint8Array {
  const ikm = Buffer.from(platformSecretKeyBase64, 'base64');
  return new Uint8Array(hkdfSync('sha256', ikm, Buffer.alloc(0), 'solar-crm access tokens v1', 32));
}

const claimsSchema = z.object({ sub: z.string().min(1), tid: z.string().min(1), sid: z.string().min(1) });
export type AccessClaims = z.infer<typeof claimsSchema>;
/** verified claims with the token's expiry (epoch seconds) */
export type VerifiedAccessClaims = AccessClaims & { exp: number };
const verifiedSchema = claimsSchema.extend({ exp: z.number() });

export async function signAccessToken(
  claims: AccessClaims,
  key: Uint8Array,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({ tid: claims.tid, sid: claims.sid })
    .setProtectedHeader({ alg: ALG, typ: 'at+jwt' })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return { token, expiresAt };
}

/** The claims of a valid, unexpired token we signed; null for anything else. */
export async function verifyAccessToken(
  token: string,
  key: Uint8Array,
): Promise<VerifiedAccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      typ: 'at+jwt',
    });
    const parsed = verifiedSchema.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const looksLikeJwt = (token: string): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);
