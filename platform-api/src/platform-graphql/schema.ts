import { Unauthorized, type Knex, type Logger } from '@solar/common';
import { createSchema } from 'graphql-yoga';
import type { SessionPrincipal } from '../sessions/session-store.js';
import { findTenant, listTenants, platformHealth, setSuspended, usage } from './admin-views.js';
import { signAdminToken } from './admin-token.js';
import { authenticateAdmin, type PlatformAdmin } from './platform-admins.js';
import { signup, type SignupInput } from './signup.js';
import { GraphQLScalarType } from './graphql-lib.js';
import type { TenantDriver } from './tenant-driver.js';
import {
  addDomain,
  removeDomain,
  requestPlanChange,
  requireTenantOwner,
  setMfaRequired,
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
}

const typeDefs = /* GraphQL */ `
  scalar DateTime

  type Query {
    "The signed-in workspace owner's settings (session cookie or access token of the owner)."
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
    "Platform admins sign in here for a short-lived admin token (never a tenant session)."
    adminSignIn(email: String!, password: String!): AdminSignIn!
    "Owner: require TOTP for every member."
    setMfaRequired(required: Boolean!): TenantSettings!
    "Owner: claim a custom domain; it stays unverified until its DNS TXT record checks out."
    addDomain(domain: String!): DomainClaim!
    "Owner: withdraw a custom domain."
    removeDomain(domain: String!): TenantSettings!
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

  type AdminSignIn {
    token: String!
    expiresAt: DateTime!
  }

  type TenantSettings {
    slug: String!
    displayName: String!
    plan: String!
    mfaRequired: Boolean!
    domains: [DomainClaim!]!
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

function requireAdmin(ctx: PlatformGraphqlContext): PlatformAdmin {
  if (!ctx.admin) throw new Unauthorized('A platform admin token is required');
  return ctx.admin;
}

type Ctx = PlatformGraphqlContext;

/** Thin resolvers: authorisation first, then the service. */
export function buildPlatformSchema() {
  return createSchema<Ctx>({
    typeDefs,
    resolvers: {
      Query: {
        tenantSettings: async (_: unknown, __: unknown, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
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
        adminSignIn: async (_: unknown, args: { email: string; password: string }, ctx: Ctx) => {
          const admin = await authenticateAdmin(ctx.db, args.email, args.password);
          ctx.log.info({ adminId: admin.id }, 'platform admin signed in');
          return signAdminToken(admin.id, ctx.adminKey);
        },
        setMfaRequired: async (_: unknown, args: { required: boolean }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await setMfaRequired(ctx.db, tenant.id, args.required);
          return tenantSettings(ctx.db, tenant.id);
        },
        addDomain: async (_: unknown, args: { domain: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          return addDomain(ctx.db, tenant.id, args.domain);
        },
        removeDomain: async (_: unknown, args: { domain: string }, ctx: Ctx) => {
          const tenant = await requireTenantOwner(ctx.db, ctx.principal);
          await removeDomain(ctx.db, tenant.id, args.domain);
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
