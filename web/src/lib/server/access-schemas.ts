import { z } from 'zod';

/** What load functions accept from the access part of the tenant API (checked, so drift fails here). */
export const viewerDataSchema = z.object({
  viewer: z.object({
    userId: z.string(),
    permissions: z.array(z.string()),
    member: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  }),
});

const unit = z.object({
  id: z.string(),
  kind: z.enum(['REGION', 'BRANCH', 'DIVISION', 'DEPARTMENT', 'TEAM']),
  name: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int(),
});

export const directoryDataSchema = z.object({
  members: z.array(
    z.object({ id: z.string(), displayName: z.string(), status: z.enum(['ACTIVE', 'DISABLED']) }),
  ),
  orgUnits: z.array(unit),
});

const role = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  builtIn: z.boolean(),
});

export const membersDataSchema = z.object({
  members: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      email: z.string().nullable(),
      status: z.enum(['ACTIVE', 'DISABLED']),
      createdAt: z.string(),
      memberships: z.array(
        z.object({ unitId: z.string(), position: z.enum(['MEMBER', 'LEAD', 'MANAGER', 'DIRECTOR']) }),
      ),
      roleGrants: z.array(z.object({ roleId: z.string(), unitId: z.string().nullable() })),
    }),
  ),
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
  orgUnits: z.array(unit),
});

export const rolesDataSchema = z.object({ roles: z.array(role) });

export const orgUnitsDataSchema = z.object({
  orgUnits: z.array(unit.extend({ memberships: z.array(z.object({ memberId: z.string() })) })),
});

export const auditLogDataSchema = z.object({
  accessAuditLog: z.array(
    z.object({
      id: z.string(),
      actorId: z.string().nullable(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      before: z.string().nullable(),
      after: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  members: z.array(z.object({ id: z.string(), displayName: z.string() })),
});
