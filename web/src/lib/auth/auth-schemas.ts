import { z } from 'zod';

/**
 * The identity answers of platform-api the web app reads (platform-api/README.md, "Identity and protection
 * API"), checked so that drift fails loudly here instead of showing half a page.
 */

/** POST /auth/sign-in when the identity has TOTP on: no session yet, a second step. */
export const mfaChallengeSchema = z.object({
  mfaRequired: z.literal(true),
  challenge: z.string().min(1),
  challengeExpiresAt: z.string(),
});

/** POST /auth/mfa/enroll */
export const enrolmentSchema = z.object({
  secret: z.string().min(1),
  otpauthUrl: z.string().startsWith('otpauth://'),
  qrCodeDataUrl: z.string().startsWith('data:image/'),
});
export type Enrolment = z.output<typeof enrolmentSchema>;

/** POST /auth/mfa/activate */
export const activationSchema = z.object({
  mfaEnabled: z.literal(true),
  recoveryCodes: z.array(z.string()).min(1),
});

/** GET /auth/sessions */
export const sessionsSchema = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      device: z.string(),
      ip: z.string().nullable(),
      mode: z.enum(['cookie', 'bearer']),
      createdAt: z.string(),
      lastSeenAt: z.string().nullable(),
      expiresAt: z.string(),
      current: z.boolean(),
    }),
  ),
});
export type SignedInSession = z.output<typeof sessionsSchema>['sessions'][number];

/** GET /auth/security-events (only the fields we read) */
export const securityEventsSchema = z.object({
  events: z.array(z.object({ id: z.union([z.string(), z.number()]), type: z.string(), at: z.string() })),
  nextBefore: z.union([z.string(), z.number()]).nullable().optional(),
});

/** An API key or OAuth client as listed (never its secret). */
const credential = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdBy: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
const apiKey = credential.extend({ prefix: z.string() });
const oauthClient = credential.extend({ clientId: z.string() });

/** GET /auth/api-keys */
export const apiKeyListSchema = z.object({ apiKeys: z.array(apiKey) });
/** POST /auth/api-keys: the key itself comes this once */
export const createdApiKeySchema = apiKey.extend({ key: z.string().min(1) });
/** GET /auth/oauth-clients */
export const oauthClientListSchema = z.object({ oauthClients: z.array(oauthClient) });
/** POST /auth/oauth-clients: the secret comes this once */
export const createdOAuthClientSchema = oauthClient.extend({ clientSecret: z.string().min(1) });

/** GET /auth/invitations */
export const invitationListSchema = z.object({
  invitations: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      role: z.string(),
      invitedBy: z.object({ displayName: z.string().nullable() }).partial(),
      status: z.string(),
      createdAt: z.string(),
      expiresAt: z.string(),
      acceptedAt: z.string().nullable(),
    }),
  ),
});
export type InvitationRow = z.output<typeof invitationListSchema>['invitations'][number];

/** POST /auth/invitations: `link` only when no email was sent (local mode), shown this once */
export const createdInvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  expiresAt: z.string(),
  emailSent: z.boolean(),
  link: z.string().optional(),
});

/** GET /auth/invitations/:token, for the accept page */
export const invitationDetailsSchema = z.object({
  email: z.string(),
  role: z.string(),
  invitedBy: z.object({ displayName: z.string().nullable() }).partial(),
  tenant: z.object({ slug: z.string(), displayName: z.string() }),
  expiresAt: z.string(),
});
