import { Router } from '@koa/router';
import { AppError, Conflict, NotFound, ValidationFailed } from '@solar/common';
import { z } from 'zod';
import { audit } from '../audit/security-events.js';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { createIdentity } from '../identity/create-identity.js';
import { findIdentityByEmail } from '../identity/find-identity.js';
import { emailSchema } from '../identity/identity.js';
import type { AuthDeps } from '../sessions/auth-deps.js';
import { publicTenant, startSession } from '../sessions/start-session.js';
import { roleKeySchema } from '../sso/tenant-sso-settings.js';
import type { RuntimeGraphql } from '../tenant-roles/runtime-graphql.js';
import { MANAGE_ACCESS, requireTenantPermission, type TenantRoles } from '../tenant-roles/tenant-roles.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import {
  claimInvitation,
  createInvitation,
  findInvitationByToken,
  listInvitations,
  revokeInvitation,
  type Invitation,
} from './invitation-store.js';
import type { Mailer } from './mailer.js';

/** The link was real but can no longer be used: accepted, revoked or expired. */
export class InvitationGone extends AppError {
  readonly status = 410;
  readonly code = 'INVITATION_GONE';
  constructor(status: 'accepted' | 'revoked' | 'expired') {
    super(`This invitation ${status === 'expired' ? 'has expired' : `was ${status}`}; ask for a new one`);
  }
}

export interface InvitationDeps {
  auth: AuthDeps;
  roles: TenantRoles;
  runtime: RuntimeGraphql;
  mailer: Mailer;
  /** the web app's base URL for a tenant (the accept page is <base>/invite/<token>) */
  tenantWebUrl: (tenant: RegistryTenant) => string;
  ttlHours: number;
}

const createSchema = z.object({
  email: emailSchema,
  role: roleKeySchema,
});
const acceptSchema = z.object({
  displayName: z.string().trim().min(1, { message: 'is required' }).max(200),
  password: z.string().min(1, { message: 'is required' }).max(1024),
});

const ROLES = /* GraphQL */ `
  query PlatformInvitationRoles {
    roles {
      id
    }
  }
`;
const JOIN = /* GraphQL */ `
  query PlatformInvitedMemberJoins {
    viewer {
      permissions
    }
  }
`;
const GRANT = /* GraphQL */ `
  mutation PlatformGrantInvitedRole($input: RoleGrantInput!) {
    grantRole(input: $input) {
      memberId
      roleId
    }
  }
`;

/**
 * Invitations to join a workspace. Administrators (access:manage:all): POST/GET /auth/invitations,
 * DELETE /auth/invitations/:id. The invited person (no session yet): GET /auth/invitations/:token and
 * POST /auth/invitations/:token/accept.
 */
export function invitationRoutes(deps: InvitationDeps): Router {
  const { auth, roles, runtime, mailer } = deps;
  const { db } = auth;
  const router = new Router();

  router.post('/auth/invitations', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const admin = await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    const input = parseJsonBody(ctx, createSchema);
    if (await findIdentityByEmail(db, tenant.id, input.email))
      throw new Conflict(`${input.email} is already a member of this workspace`);
    // the role must exist in the runtime, asked as the inviting admin
    const known = await runtime<{ roles: Array<{ id: string }> }>(
      tenant,
      { sub: admin.identityId, sid: admin.sessionId },
      ROLES,
    );
    if (!known.roles.some((r) => r.id === input.role))
      throw new ValidationFailed({ role: ['is not a role of this workspace'] });

    const { token, id, expiresAt } = await createInvitation(db, {
      tenantId: tenant.id,
      email: input.email,
      role: input.role,
      invitedBy: admin.identityId,
      ttlHours: deps.ttlHours,
    });
    const link = `${deps.tenantWebUrl(tenant)}/invite/${token}`;
    const emailSent = await mailer.sendInvitation({
      to: input.email,
      link,
      workspace: tenant.displayName,
      invitedBy: admin.displayName,
      expiresAt,
    });
    await audit(db, ctx, {
      type: 'invitation_created',
      identityId: admin.identityId,
      details: { invitationId: id, role: input.role, emailSent },
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = {
      id,
      email: input.email,
      role: input.role,
      status: 'pending',
      expiresAt: expiresAt.toISOString(),
      emailSent,
      // local mode (no SMTP): the admin passes the link on; shown this once, never stored or logged
      ...(emailSent ? {} : { link }),
    };
  });

  router.get('/auth/invitations', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { invitations: await listInvitations(db, tenant.id) };
  });

  router.delete('/auth/invitations/:id', async (ctx: AppContext & { params: Record<string, string> }) => {
    const tenant = requireTenant(ctx);
    const admin = await requireTenantPermission(ctx, roles, MANAGE_ACCESS);
    const id = z.uuid({ message: 'must be an invitation id' }).safeParse(ctx.params.id);
    if (!id.success) throw ValidationFailed.fromZod(id.error, ['id']);
    if (!(await revokeInvitation(db, tenant.id, id.data))) throw new NotFound('No such pending invitation');
    await audit(db, ctx, {
      type: 'invitation_revoked',
      identityId: admin.identityId,
      details: { invitationId: id.data },
    });
    ctx.status = 204;
  });

  /** For the accept page: who invited whom to what. */
  router.get('/auth/invitations/:token', async (ctx: AppContext & { params: Record<string, string> }) => {
    const tenant = requireTenant(ctx);
    const invitation = await usableInvitation(ctx, tenant, ctx.params.token ?? '');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      email: invitation.email,
      role: invitation.role,
      invitedBy: { displayName: invitation.inviterName },
      tenant: publicTenant(tenant),
      expiresAt: invitation.expiresAt.toISOString(),
    };
  });

  router.post(
    '/auth/invitations/:token/accept',
    async (ctx: AppContext & { params: Record<string, string> }) => {
      const tenant = requireTenant(ctx);
      const invitation = await usableInvitation(ctx, tenant, ctx.params.token ?? '');
      const input = parseJsonBody(ctx, acceptSchema);
      if (await findIdentityByEmail(db, tenant.id, invitation.email))
        throw new Conflict(`${invitation.email} is already a member of this workspace`);

      // One transaction: the invitation is spent exactly when the identity exists and the runtime granted
      // the role. A failure anywhere leaves the link usable (the runtime's member row, if made, is harmless).
      const identity = await db.transaction(async (trx) => {
        // the password policy applies here (field errors on `password`)
        const created = await createIdentity(trx, {
          tenantId: tenant.id,
          email: invitation.email,
          displayName: input.displayName,
          password: input.password,
        });
        if (!(await claimInvitation(trx, invitation, created.id))) throw new InvitationGone('accepted');
        // the member joins (created on their first request, with their name and email)…
        await runtime(
          tenant,
          {
            sub: created.id,
            sid: `invitation:${invitation.id}`,
            email: created.email,
            name: created.displayName,
          },
          JOIN,
        );
        // …and the inviting admin grants the role, so the runtime's own rules and audit apply
        await runtime(tenant, { sub: invitation.invitedBy, sid: `invitation:${invitation.id}` }, GRANT, {
          input: { memberId: created.id, roleId: invitation.role },
        });
        return created;
      });
      await audit(db, ctx, {
        type: 'invitation_accepted',
        identityId: identity.id,
        details: { invitationId: invitation.id, role: invitation.role, invitedBy: invitation.invitedBy },
      });
      ctx.body = await startSession(
        ctx,
        auth,
        { id: identity.id, email: identity.email, display_name: identity.displayName },
        tenant,
        { stage: tenant.mfaRequired ? 'mfa_enrollment' : 'full', method: 'invitation' },
      );
    },
  );

  async function usableInvitation(
    ctx: AppContext,
    tenant: RegistryTenant,
    token: string,
  ): Promise<Invitation> {
    const invitation = await findInvitationByToken(db, tenant.id, token);
    if (!invitation) throw new NotFound('No such invitation');
    if (invitation.status !== 'pending') throw new InvitationGone(invitation.status);
    ctx.state.log = ctx.state.log.child({ invitationId: invitation.id });
    return invitation;
  }

  return router;
}
