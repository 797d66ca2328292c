import { hkdfSync } from 'node:crypto';
import { open, seal } from '@solar/common';
import { z } from 'zod';

/**
 * The state of one SSO sign-in between /auth/sso/start and /auth/sso/callback (state, nonce, PKCE verifier,
 * where to go next), kept in the browser as a short-lived cookie sealed with AES-256-GCM. Sealed, not just
 * signed, because the PKCE verifier must stay secret; the tenant id is the associated data, so a flow begun
 * on one workspace cannot be finished on another. A cookie rather than Redis: it ties the flow to the browser
 * that began it (no login CSRF), leaves no server state behind for abandoned sign-ins, and SSO keeps working
 * while Redis is down.
 */
export const FLOW_COOKIE = 'solar_sso_flow';
/** Only the SSO routes ever see the cookie. */
const FLOW_COOKIE_PATH = '/auth/sso';
/** Long enough to type a password and pass MFA at the provider; short enough to be useless if copied. */
export const FLOW_TTL_SECONDS = 600;

const flowSchema = z.object({
  v: z.literal(1),
  tenantId: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
  next: z.string(),
  /** ms since epoch */
  expiresAt: z.number(),
});
export type FlowState = z.infer<typeof flowSchema>;

/** Its own key, derived from the platform key, so this cookie cannot be confused with any other sealed value. */
export function deriveFlowKey(platformKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', platformKey, Buffer.alloc(0), 'solar-crm sso flow v1', 32));
}

const associatedData = (tenantId: string) => `sso-flow:${tenantId}`;

export function sealFlow(flow: Omit<FlowState, 'v' | 'expiresAt'>, key: Buffer, now = Date.now()): string {
  const value: FlowState = { v: 1, ...flow, expiresAt: now + FLOW_TTL_SECONDS * 1000 };
  // base64url keeps the cookie value free of characters that need quoting
  return Buffer.from(seal(JSON.stringify(value), key, associatedData(flow.tenantId))).toString('base64url');
}

/** The flow for THIS tenant, or null if the cookie is absent, tampered with, from another tenant or expired. */
export function openFlow(
  cookie: string | undefined,
  key: Buffer,
  tenantId: string,
  now = Date.now(),
): FlowState | null {
  if (!cookie || cookie.length > 4096) return null;
  try {
    const json = open(Buffer.from(cookie, 'base64url').toString('utf8'), key, associatedData(tenantId));
    const flow = flowSchema.parse(JSON.parse(json));
    if (flow.tenantId !== tenantId || flow.expiresAt <= now) return null;
    return flow;
  } catch {
    return null;
  }
}

export function flowCookie(value: string, secure: boolean): string {
  return serialize(`${FLOW_COOKIE}=${value}`, FLOW_TTL_SECONDS, secure);
}

export function clearedFlowCookie(secure: boolean): string {
  return serialize(`${FLOW_COOKIE}=`, 0, secure);
}

function serialize(pair: string, maxAge: number, secure: boolean): string {
  // SameSite=Lax (not Strict): the provider's redirect back is a cross-site top-level GET that must carry it.
  return [pair, `Path=${FLOW_COOKIE_PATH}`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax']
    .concat(secure ? ['Secure'] : [])
    .join('; ');
}
