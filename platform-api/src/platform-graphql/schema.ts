import { Unauthorized, type Knex, type Logger } from '@solar/common';
import { createSchema } from 'graphql-yoga';
import type { EventOrigin } from '../audit/security-events.js';
import { MfaEnrollmentRequired } from '../sessions/require-principal.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { TenantSsoInput } from '../sso/tenant-sso-settings.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import { findTenant, listTenants, platformHealth, setSuspended, usage } from './admin-views.js';
import { signAdminToken } from './admin-token.js';
import {
  changeMfaPolicy,
  changeSso,
  requireTenantAdmin,
  switchSsoOff,
  type PlatformIdentity,
} from './identity-access.js';
import {
  activateAdminMfa,
  authenticateAdmin,
  enrollAdminMfa,
  signInAdmin,
  type PlatformAdmin,
} from './platform-admins.js';
import { signup, type SignupInput } from './signup.js';
import { GraphQLScalarType } from './graphql-lib.js';
import { verifyDomainClaim } from '../domains/domain-verification.js';
import { createTxtLookup, type TxtLookup } from '../domains/txt-lookup.js';
import { addCorsOrigin, removeCorsOrigin } from '../tenancy/tenant-cors-origins.js';
import type { TenantDriver } from './tenant-driver.js';
import {
  addDomain,
  removeDomain,
  requestPlanChange,
  requireTenantOwner,
  tenantSettings,
} from './tenant-settings.js';

/** Per request: who is calling (a platform admin by admin token, or a tenant member by session). */
export interface PlatformGraphqlContext {
  db: Knex;
  driver: TenantDriver;
  adminKey: Uint8Array;
  log: Logger;
  signInUrl: (slug: string) => string;
  admin: PlatformAdmin | null;
  principal: SessionPrincipal | undefined;
  /** the tenant the request's host names, if any */
  tenant?: RegistryTenant | undefined;
  /** tenant roles, SSO settings, admin sign-in protection (absent in narrow test setups) */
  identity?: PlatformIdentity | undefined;
  /** ip, user agent and request id, for the audit log */
  origin?: EventOrigin | undefined;
}

const typeDefs = /* GraphQL */ `
  scalar DateTime

  type Query {
    "The workspace's settings, for its owner or an administrator (access:manage:all) signed in by session."
    tenantSettings: TenantSettings!
    "Platform admins: tenants by slug, filtered by phase and plan."
    tenants(phase: String, plan: String, first: Int, after: String): TenantConnection!
    "Platform admins: one tenant."
    tenant(slug: String!): AdminTenant
    "Platform admins: identities per tenant and sessions started in the last 24 hours."
    usage: [TenantUsage!]!
    "Platform admins: registry reachability and tenants by phase."
    health: PlatformHealth!
  }

  type Mutation {
    "Public: creates a workspace (tenant) and its first admin."
    signup(input: SignupInput!): SignupResult!
    "Platform admins sign in here for a short-lived admin token (never a tenant session). Failures back off like tenant sign-in (TOO_MANY_ATTEMPTS with retryAfterSeconds); an admin with TOTP on must send code (MFA_REQUIRED without it, INVALID_CODE when wrong)."
    adminSignIn(
      email: String!
      password: String!
      "the current 6-digit code from the authenticator app, once TOTP is on"
      code: String
    ): AdminSignIn!
    "Platform admins: start TOTP enrolment (a new pending secret; CONFLICT once on)."
    adminMfaEnroll: AdminMfaEnrolment!
    "Platform admins: finish enrolment with a current code; from then on adminSignIn needs a code."
    adminMfaActivate("6-digit code" code: String!): Boolean!
    "Owner or administrator (access:manage:all): require TOTP for every member."
    setMfaRequired(required: Boolean!): TenantSettings!
    "Owner or administrator: set up or replace single sign-on through the workspace's OpenID Connect provider."
    setSsoSettings(input: SsoSettingsInput!): TenantSettings!
    "Owner or administrator: switch single sign-on off (settings kept)."
    disableSso: TenantSettings!
    "Owner: claim a custom domain; it stays unverified until its DNS TXT record checks out."
    addDomain(domain: String!): DomainClaim!
    "Owner: withdraw a custom domain."
    removeDomain(domain: String!): TenantSettings!
    "Owner: check the domain's DNS TXT record now; once it carries the claim's value the domain routes to this workspace. Fails with what DNS showed otherwise, and when another workspace verified the domain first."
    verifyDomain(domain: String!): DomainClaim!
    "Owner: let a browser origin (https://app.example.com) call this workspace's API (CORS); its cookie sessions may then make changes from there."
    addCorsOrigin(origin: String!): TenantSettings!
    "Owner: stop allowing a browser origin."
    removeCorsOrigin(origin: String!): TenantSettings!
    "Owner: ask for another plan (recorded for approval)."
    requestPlanChange(plan: String!): TenantSettings!
    "Platform admins: suspend a tenant (written into its spec through the operator)."
    suspendTenant(slug: String!): AdminTenant!
    "Platform admins: resume a suspended tenant."
    resumeTenant(slug: String!): AdminTenant!
  }

  input SignupInput {
    companyName: String!
    "subdomain: <slug>.<base domain>"
    slug: String!
    adminEmail: String!
    adminName: String!
    password: String!
  }

  type SignupResult {
    tenant: SignupTenant!
    "where the new admin signs in"
    signInUrl: String!
  }

  type SignupTenant {
    slug: String!
    phase: String!
  }

  "A platform-admin token."
  type AdminSignIn {
    "send as Authorization: Bearer on this endpoint"
    token: String!
    expiresAt: DateTime!
    "TOTP is required (PLATFORM_ADMIN_MFA_REQUIRED) and not yet set up: the token only reaches adminMfaEnroll and adminMfaActivate"
    mfaEnrollmentRequired: Boolean!
  }

  "A pending TOTP secret to scan or type into an authenticator app."
  type AdminMfaEnrolment {
    "base32 secret"
    secret: String!
    "otpauth:// URL"
    otpauthUrl: String!
    "the URL as a QR code (data:image/svg+xml;base64,…)"
    qrCodeDataUrl: String!
  }

  "A workspace's OpenID Connect provider."
  input SsoSettingsInput {
    "the provider's issuer URL (https)"
    issuer: String!
    "the client id registered at the provider"
    clientId: String!
    "write-only; required the first time and whenever issuer or client id change"
    clientSecret: String
    "only emails of these domains may sign in"
    allowedEmailDomains: [String!]!
    "role key given to members created at their first SSO sign-in, e.g. sales_rep"
    defaultRole: String!
    "on by default"
    enabled: Boolean
  }

  type TenantSettings {
    slug: String!
    displayName: String!
    plan: String!
    mfaRequired: Boolean!
    domains: [DomainClaim!]!
    "browser origins allowed to call this workspace's API (CORS), e.g. https://app.example.com"
    corsOrigins: [String!]!
    sso: SsoSettings
    pendingPlanChange: PlanChange
  }

  type DomainClaim {
    domain: String!
    verified: Boolean!
    "publish a TXT record with this name…"
    txtName: String!
    "…and this value"
    txtValue: String!
    "when DNS was last checked (verifyDomain or the hourly re-check); null before the first check"
    lastCheckedAt: DateTime
    "why the last check did not verify the domain"
    lastCheckError: String
  }

  type SsoSettings {
    issuer: String!
    clientId: String!
    enabled: Boolean!
  }

  type PlanChange {
    toPlan: String!
    requestedAt: DateTime!
  }

  type TenantConnection {
    nodes: [AdminTenant!]!
    endCursor: String
    hasNextPage: Boolean!
  }

  type AdminTenant {
    id: ID!
    slug: String!
    displayName: String!
    plan: String!
    suspended: Boolean!
    "observed by the operator: Pending, Provisioning, Ready, Suspended, Upgrading, Deleting, Failed"
    phase: String!
    conditions: [Condition!]!
    schemaVersion: String
    endpoint: String
    lastError: String
    createdAt: DateTime!
  }

  type Condition {
    type: String!
    status: String!
    reason: String!
    message: String!
  }

  type TenantUsage {
    slug: String!
    identities: Int!
    sessionsLast24h: Int!
  }

  type PlatformHealth {
    registryReachable: Boolean!
    tenantsByPhase: [PhaseCount!]!
  }

  type PhaseCount {
    phase: String!
    count: Int!
  }
`;

function requireAdmin(
  ctx: PlatformGraphqlContext,
  options: { allowEnrollment?: boolean } = {},
): PlatformAdmin {
  if (!ctx.admin) throw new Unauthorized('A platform admin token is required');
  // PLATFORM_ADMIN_MFA_REQUIRED: an admin without TOTP may only enrol
  if (ctx.identity?.admins.mfaRequired && !ctx.admin.mfaEnabled && !options.allowEnrollment)
    throw new MfaEnrollmentRequired();
  return ctx.admin;
}

type Ctx = PlatformGraphqlContext;

export interface PlatformSchemaOptions {
  /** TXT lookups for verifyDomain; without one verifyDomain asks the system's DNS servers */
  txtLookup?: TxtLookup;
}

/** Thin resolvers: authorisation first, then the service. */
export function buildPlatformSchema(options: PlatformSchemaOptions = {}) {
  const txtLookup = options.txtLookup ?? createTxtLookup({ servers: [], timeoutMs: 3_000 });
  return createSchema<Ctx>({
    typeDefs,
    resolvers: {
      Query: {
        tenantSettings: async (_: unknown, __: unknown, ctx: Ctx) => {
          const tenant = await requireTenantAdmin(ctx);
          return tenantSettings(ctx.db, tenant.id);
        },
        tenants: (_: unknown, args: Record<string, unknown>, ctx: Ctx) => {
          requireAdmin(ctx);
          return listTenants(ctx.db, args);
        },
        tenant: (_: unknown, args: { slug: string }, ctx: Ctx) => {
          requireAdmin(ctx);
          return findTenant(ctx.db, args.slug);
        },
        usage: (_: unknown, __: unknown, ctx: Ctx) => {
          requireAdmin(ctx);
          return usage(ctx.db);
        },
        health: (_: unknown, __: unknown, ctx: Ctx) => {
          requireAdmin(ctx);
          return platformHealth(ctx.db);
        },
      },
      Mutation: {
        signup: async (_: unknown, args: { input: SignupInput }, ctx: Ctx) => {
          const { tenant } = await signup({ db: ctx.db, driver: ctx.driver, log: ctx.log }, args.input);
          return {
            tenant: { slug: tenant.slug, phase: tenant.status.phase },
            signInUrl: ctx.signInUrl(tenant.slug),
          };
        },
        adminSignIn: async (
          _: unknown,
          args: { email: string; password: string; code?: string | null },
          ctx: Ctx,
        ) => {
          const { admin, mfaEnrollmentRequired } = ctx.identity
            ? await signInAdmin(ctx.db, ctx.identity.admins, args, ctx.origin ?? {})
            : {
                admin: await authenticateAdmin(ctx.db, args.email, args.password),
                mfaEnrollmentRequired: false,
              };
          ctx.log.info({ adminId: admin.id }, 'platform admin signed in');
          return { ...(await signAdminToken(admin.id, ctx.adminKey)), mfaEnrollmentRequired };
        },
        adminMfaEnroll: (_: unknown, __: unknown, ctx: Ctx) => {
          const admin = requireAdmin(ctx, { allowEnrollment: true });
          if (!ctx.identity) throw new Unauthorized('Admin TOTP is not available here');
          return enrollAdminMfa(ctx.db, ctx.identity.admins, admin);
        },
        adminMfaActivate: async (_: unknown, args: { code: string }, ctx: Ctx) => {
          const admin = requireAdmin(ctx, { allowEnrollment: true });
          if (!ctx.identity) throw new Unauthorized('Admin TOTP is not available here');
          await activateAdminMfa(ctx.db, ctx.identity.admins, admin, args.code, ctx.origin ?? {});
          return true;
        },
        setMfaRequired: async (_: unknown, args: { required: boolean }, ctx: Ctx) =>
          tenantSettings(ctx.db, await changeMfaPolicy(ctx, args.required)),
        setSsoSettings: async (_: unknown, args: { input: TenantSsoInput }, ctx: Ctx) =>
          tenantSettings(ctx.db, await changeSso(ctx, args.input)),
        disableSso: async (_: unknown, __: unknown, ctx: Ctx) =>
          tenantSettings(ctx.db, await switchSsoOff(ctx)),
        addDomain: async (_: unknown, args: { domain: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          return addDomain(ctx.db, tenant.id, args.domain);
        },
        removeDomain: async (_: unknown, args: { domain: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await removeDomain(ctx.db, tenant.id, args.domain);
          return tenantSettings(ctx.db, tenant.id);
        },
        verifyDomain: async (_: unknown, args: { domain: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await verifyDomainClaim(ctx.db, txtLookup, tenant.id, args.domain);
          const settings = await tenantSettings(ctx.db, tenant.id);
          return settings.domains.find((d) => d.domain === args.domain.trim().toLowerCase());
        },
        addCorsOrigin: async (_: unknown, args: { origin: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await addCorsOrigin(ctx.db, tenant.id, args.origin);
          return tenantSettings(ctx.db, tenant.id);
        },
        removeCorsOrigin: async (_: unknown, args: { origin: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await removeCorsOrigin(ctx.db, tenant.id, args.origin);
          return tenantSettings(ctx.db, tenant.id);
        },
        requestPlanChange: async (_: unknown, args: { plan: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await requestPlanChange(ctx.db, tenant, tenant.ownerId, args.plan);
          return tenantSettings(ctx.db, tenant.id);
        },
        suspendTenant: (_: unknown, args: { slug: string }, ctx: Ctx) => {
          const admin = requireAdmin(ctx);
          ctx.log.info({ adminId: admin.id, slug: args.slug }, 'platform admin suspends tenant');
          return setSuspended(ctx.db, ctx.driver, args.slug, true);
        },
        resumeTenant: (_: unknown, args: { slug: string }, ctx: Ctx) => {
          const admin = requireAdmin(ctx);
          ctx.log.info({ adminId: admin.id, slug: args.slug }, 'platform admin resumes tenant');
          return setSuspended(ctx.db, ctx.driver, args.slug, false);
        },
      },
      DateTime: dateTimeScalar,
    },
  });
}

/** Output-only instants as ISO-8601 (this API takes no dates as input). */
const dateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 instant',
  serialize: (value) => new Date(value as Date | string).toISOString(),
});
