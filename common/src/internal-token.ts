import { SignJWT, jwtVerify, importJWK, exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { z } from 'zod';

/**
 * The internal token: how platform-api tells a tenant runtime who is calling. Signed with platform-api's
 * private key (EdDSA), verified by the runtime with the public key alone, so a runtime cannot mint tokens.
 * It lives for seconds; the runtime builds its whole tenant context from it and from nothing else.
 */
export const INTERNAL_ISSUER = 'solar-crm/platform-api';
export const INTERNAL_AUDIENCE = 'solar-crm/tenant-runtime';
const ALG = 'EdDSA';

export const internalClaimsSchema = z.object({
  /** tenant id (platform.tenants.id) */
  tid: z.string().min(1),
  /** tenant slug, for logs */
  tslug: z.string().min(1),
  /** user (identity) id; absent for machine callers */
  sub: z.string().min(1),
  /** session or API-key id the call was authenticated by */
  sid: z.string().min(1),
  /** OAuth-style scopes granted to the caller (integrators); staff sessions carry ['*'] */
  scopes: z.array(z.string()),
  /** optional: the user's email and display name, so the runtime can show a member it has not seen before */
  email: z.string().max(254).optional(),
  name: z.string().max(200).optional(),
});
export type InternalClaims = z.infer<typeof internalClaimsSchema>;

export interface InternalKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function generateInternalKeys(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

export async function importInternalKey(jwk: JWK | string): Promise<CryptoKey> {
  const parsed = typeof jwk === 'string' ? (JSON.parse(jwk) as JWK) : jwk;
  return (await importJWK(parsed, ALG)) as CryptoKey;
}

export async function signInternalToken(
  claims: InternalClaims,
  privateKey: CryptoKey,
  ttlSeconds = 60,
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .setJti(crypto.randomUUID())
    .sign(privateKey);
}

export class InvalidInternalToken extends Error {
  constructor(reason: string) {
    super(`invalid internal token: ${reason}`);
    this.name = 'InvalidInternalToken';
  }
}

/** Verifies signature, algorithm, issuer, audience and expiry; returns the claims or throws. */
export async function verifyInternalToken(token: string, publicKey: CryptoKey): Promise<InternalClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, publicKey, {
      algorithms: [ALG],
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
      maxTokenAge: '5m',
    }));
  } catch (err) {
    throw new InvalidInternalToken((err as Error).message);
  }
  const parsed = internalClaimsSchema.safeParse(payload);
  if (!parsed.success) throw new InvalidInternalToken('missing claims');
  return parsed.data;
}
