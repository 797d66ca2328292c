import { z } from 'zod';
import { ACTIONS, SCOPE_LEVELS } from '../../engine/data/scope.js';
import { requiredText } from '../../engine/validation/fields.js';

/** Resources permissions speak about. Each module with scoped rows adds its own. */
export const RESOURCES = ['leads', 'access'] as const;
export type Resource = (typeof RESOURCES)[number];
export const UNIT_KINDS = ['region', 'branch', 'division', 'department', 'team'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const POSITIONS = ['member', 'lead', 'manager', 'director'] as const;
export type Position = (typeof POSITIONS)[number];
/** Positions that extend a `subtree` permission over the unit's whole subtree. */
export const LEADING_POSITIONS: ReadonlySet<Position> = new Set(['lead', 'manager', 'director']);
export const MEMBER_STATUSES = ['active', 'disabled'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

const PERMISSION = new RegExp(
  `^(${RESOURCES.join('|')}):(${ACTIONS.join('|')}):(${SCOPE_LEVELS.join('|')})$`,
);

/** `resource:action:scope`, e.g. `leads:read:subtree`. */
export const permissionSchema = z
  .string()
  .regex(
    PERMISSION,
    `Must be resource:action:scope with resource ${RESOURCES.join('|')}, action ${ACTIONS.join('|')}, scope ${SCOPE_LEVELS.join('|')}`,
  );

export const ID = z.uuid('Must be an id');
const roleId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{1,63}$/,
    'Lower-case letters, digits and _, 2 to 64 characters, starting with a letter',
  );

export const createRoleInputSchema = z.object({
  id: roleId,
  name: requiredText(100),
  description: z
    .string()
    .trim()
    .max(500, 'At most 500 characters')
    .nullish()
    .transform((v) => v ?? ''),
  permissions: z.array(permissionSchema).max(100, 'At most 100 permissions'),
});
export type CreateRoleInput = z.output<typeof createRoleInputSchema>;

export const updateRoleInputSchema = z.object({
  name: requiredText(100).nullish(),
  description: z.string().trim().max(500, 'At most 500 characters').nullish(),
  permissions: z.array(permissionSchema).max(100, 'At most 100 permissions').nullish(),
});
export type UpdateRoleInput = z.output<typeof updateRoleInputSchema>;

export const grantInputSchema = z.object({
  memberId: ID,
  roleId,
  unitId: ID.nullish().transform((v) => v ?? null),
});
export type GrantInput = z.output<typeof grantInputSchema>;

export const createOrgUnitInputSchema = z.object({
  kind: z.enum(UNIT_KINDS, 'Must be one of the unit kinds'),
  name: requiredText(200),
  parentId: ID.nullish().transform((v) => v ?? null),
});
export type CreateOrgUnitInput = z.output<typeof createOrgUnitInputSchema>;

export const membershipInputSchema = z.object({
  memberId: ID,
  unitId: ID,
  position: z
    .enum(POSITIONS, 'Must be one of the positions')
    .nullish()
    .transform((v) => v ?? 'member'),
});
export type MembershipInput = z.output<typeof membershipInputSchema>;

export interface Member {
  id: string;
  displayName: string;
  email: string | null;
  status: MemberStatus;
  createdAt: Date;
}
export interface OrgUnit {
  id: string;
  kind: UnitKind;
  name: string;
  parentId: string | null;
  path: string;
  depth: number;
}
export interface Membership {
  memberId: string;
  unitId: string;
  position: Position;
}
export interface Role {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtIn: boolean;
}
export interface RoleGrant {
  memberId: string;
  roleId: string;
  unitId: string | null;
}
