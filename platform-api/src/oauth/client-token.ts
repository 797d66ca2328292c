import { hkdfSync } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * Access tokens for OAuth2 client credentials (RFC 9068 profile): HS256 JWTs that only this program signs
 * and verifies, under a key derived from PLATFORM_SECRET_KEY with its own purpose, so neither a session
 * access token nor a platform-admin token can pass as one. `aud` is the tenant id: a token is worthless on
 * any other tenant. Only HS256 is accepted (no `alg: none`, no algorithm confusion).
 */
const ALG = 'HS256';
const ISSUER = 'solar-crm/platform-api';
const TYP = 'at+jwt';

export function deriveClientTokenKey(platformSecretKeyBase64: string): Uint8Array {
  const ikm = Buffer.from(platformSecretKeyBase64, 'base64');
  return new Uint8Array(hkdfSync('sha256', ikm, Buffer.alloc(0), 'solar-crm oauth client tokens v1', 32));
}

const claimsSchema = z.object({
  aud: z.string().min(1),
  sub: z.string().min(1),
  client_id: z.string().min(1),
  /** the oauth_clients row id */
  cid: z.string().uuid(),
  scope: z.string(),
  exp: z.number(),
});
export interface ClientTokenClaims {
  tenantId: string;
  clientRowId: string;
  clientId: string;
  scopes: string[];
  exp: number;
}

export async function signClientToken(
  claims: Omit<ClientTokenClaims, 'exp'>,
  key: Uint8Array,
  ttlSeconds: number,
): Promise<{ token: string; expiresIn: number }> {
  const token = await new SignJWT({
    client_id: claims.clientId,
    cid: claims.clientRowId,
    scope: claims.scopes.join(' '),
  })
    .setProtectedHeader({ alg: ALG, typ: TYP })
    .setIssuer(ISSUER)
    .setAudience(claims.tenantId)
    .setSubject(claims.clientId)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
  return { token, expiresIn: ttlSeconds };
}

/** The claims of a valid, unexpired client token for `tenantId`; null for anything else. */
export async function verifyClientToken(
  token: string,
  key: Uint8Array,
  tenantId: string,
): Promise<ClientTokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: tenantId,
      typ: TYP,
    });
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) return null;
    return {
      tenantId: parsed.data.aud,
      clientRowId: parsed.data.cid,
      clientId: parsed.data.client_id,
      scopes: parsed.data.scope.split(' ').filter(Boolean),
      exp: parsed.data.exp,
    };
  } catch {
    return null;
  }
}

/**
 * Routing only (never trust): does this JWT claim to be a client token? Decides which key verifies it;
 * verification then decides everything.
 */
export function claimsToBeClientToken(token: string): boolean {
  try {
    return typeof decodeJwt(token).client_id === 'string';
  } catch {
    return false;
  }
}
