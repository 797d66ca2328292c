import { hkdfSync } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * Platform-admin tokens: short-lived HS256 JWTs under a key derived from PLATFORM_SECRET_KEY with its own
 * purpose string and audience, so a tenant access token can never pass as one (nor the other way round).
 */
const ALG = 'HS256';
const ISSUER = 'solar-crm/platform-api';
const AUDIENCE = 'solar-crm/platform-admin';
export const ADMIN_TOKEN_TTL_SECONDS = 15 * 60;

export function deriveAdminTokenKey(platformSecretKeyBase64: string): Uint8Array {
  const ikm = Buffer.from(platformSecretKeyBase64, 'base64');
  return new Uint8Array(hkdfSync('sha256', ikm, Buffer.alloc(0), 'solar-crm platform admin tokens v1', 32));
}

export async function signAdminToken(
  adminId: string,
  key: Uint8Array,
  ttlSeconds = ADMIN_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: ALG, typ: 'admin+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(adminId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return { token, expiresAt };
}

const claimsSchema = z.object({ sub: z.string().min(1) });

/** The admin id of a valid, unexpired admin token; null for anything else (tenant tokens included). */
export async function verifyAdminToken(token: string, key: Uint8Array): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'admin+jwt',
    });
    const parsed = claimsSchema.safeParse(payload);
    return parsed.success ? parsed.data.sub : null;
  } catch {
    return null;
  }
}
