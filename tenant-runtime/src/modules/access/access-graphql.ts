import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import { MEMBER_STATUSES, POSITIONS, UNIT_KINDS, type Member, type OrgUnit } from './access-schema.js';
import * as access from './access-service.js';

const typeDefs = /* GraphQL */ `
  "Whether a member may use the workspace."
  enum MemberStatus {
    "May sign in and work."
    ACTIVE
    "Refused on every request until an administrator re-activates them."
    DISABLED
  }

  "What kind of org unit a node of the org tree is."
  enum OrgUnitKind {
    "A geographic region."
    REGION
    "A branch office."
    BRANCH
    "A division."
    DIVISION
    "A department."
    DEPARTMENT
    "A team: where leads usually belong."
    TEAM
  }

  "A member's position within an org unit; lead, manager and director extend subtree permissions below it."
  enum Position {
    "An ordinary member."
    MEMBER
    "Leads the unit."
    LEAD
    "Manages the unit."
    MANAGER
    "Directs the unit."
    DIRECTOR
  }

  "A person working in the workspace (a platform identity), created on their first request."
  type Member {
    "The platform identity id."
    id: ID!
    "Name shown to colleagues."
    displayName: String!
    "Email address, when known."
    email: String
    "Whether the member may use the workspace."
    status: MemberStatus!
    "When the member first used the workspace."
    createdAt: DateTime!
    "The org units the member belongs to, with their position."
    memberships: [Membership!]!
    "The roles granted to the member."
    roleGrants: [RoleGrant!]!
  }

  "A node of the org tree."
  type OrgUnit {
    "Stable id."
    id: ID!
    "Region, branch, division, department or team."
    kind: OrgUnitKind!
    "Name, unique among its siblings."
    name: String!
    "The parent unit; null at the top of the tree."
    parentId: ID
    "How deep in the tree (0 at the top)."
    depth: Int!
    "Members of this unit."
    memberships: [Membership!]!
  }

  "A member's place in an org unit."
  type Membership {
    "The member."
    memberId: ID!
    "The org unit."
    unitId: ID!
    "The member's position in the unit."
    position: Position!
    "The member, resolved."
    member: Member
    "The unit, resolved."
    unit: OrgUnit
  }

  "A named set of permissions."
  type Role {
    "Stable key, e.g. sales_rep."
    id: ID!
    "Display name."
    name: String!
    "What the role is for."
    description: String!
    "Permissions as resource:action:scope, e.g. leads:read:subtree."
    permissions: [String!]!
    "True for the roles every workspace starts with."
    builtIn: Boolean!
  }

  "A role granted to a member, tenant-wide or within one unit (and its subtree)."
  type RoleGrant {
    "The member."
    memberId: ID!
    "The role."
    roleId: ID!
    "The unit the grant is limited to; null for tenant-wide."
    unitId: ID
    "The role, resolved."
    role: Role
  }

  "One recorded change: to access, or to a record."
  type AuditEntry {
    "Sequence number."
    id: ID!
    "Member who made the change; null for the system."
    actorId: ID
    "What happened, e.g. role.granted."
    action: String!
    "Kind of thing changed: member, role, org_unit, or a record type such as Lead."
    entityType: String!
    "Id of the thing changed."
    entityId: String!
    "State before, as JSON (for records: the changed fields; null when it was created)."
    before: String
    "State after, as JSON (for records: the changed fields; null when it was deleted)."
    after: String
    "Request that made the change."
    requestId: String
    "When."
    createdAt: DateTime!
  }

  extend type Viewer {
    "The caller as a member of this workspace; null for callers that are not members."
    member: Member
    "Every permission the caller holds (resource:action:scope, @unit when granted within a unit)."
    permissions: [String!]!
  }

  "A new role."
  input CreateRoleInput {
    "Stable key: lower-case letters, digits and _."
    id: ID!
    "Display name."
    name: String!
    "What the role is for."
    description: String
    "Permissions as resource:action:scope."
    permissions: [String!]!
  }

  "Changes to a role; only the fields given change."
  input UpdateRoleInput {
    "Display name."
    name: String
    "What the role is for."
    description: String
    "The complete new list of permissions."
    permissions: [String!]
  }

  "A role for a member, tenant-wide or within one unit."
  input RoleGrantInput {
    "The member."
    memberId: ID!
    "The role."
    roleId: ID!
    "Limit the grant to this unit (and its subtree); omit for tenant-wide."
    unitId: ID
  }

  "A new org unit."
  input CreateOrgUnitInput {
    "What kind of unit."
    kind: OrgUnitKind!
    "Name, unique among its siblings."
    name: String!
    "Parent unit; omit for a top-level unit."
    parentId: ID
  }

  "A member in a unit, with a position."
  input MembershipInput {
    "The member."
    memberId: ID!
    "The org unit."
    unitId: ID!
    "Position in the unit; MEMBER when omitted."
    position: Position
  }

  "Which membership to remove."
  input RemoveMembershipInput {
    "The member."
    memberId: ID!
    "The org unit."
    unitId: ID!
  }

  extend type Query {
    "Members of the workspace (needs access:read)."
    members("Only members with this status." status: MemberStatus): [Member!]!
    "One member by id (needs access:read); null when unknown."
    member("The member's id." id: ID!): Member
    "Every role (needs access:read)."
    roles: [Role!]!
    "The whole org tree, parents before children (needs access:read)."
    orgUnits: [OrgUnit!]!
    "Recent changes, newest first: access (members, roles, org units) and records (leads, deals…, with the changed fields before and after). Needs access:manage:all."
    accessAuditLog(
      "How many, 1 to 200."
      first: Int = 50
      "Only changes to this kind of thing, e.g. role or Lead."
      entityType: String
      "Only changes to this one thing (its id): a record's history."
      entityId: String
    ): [AuditEntry!]!
  }

  extend type Mutation {
    "Activate or disable a member (access:manage:all)."
    setMemberStatus("The member." id: ID!, "The new status." status: MemberStatus!): Member!
    "Create a role (access:manage:all)."
    createRole("The role." input: CreateRoleInput!): Role!
    "Change a role; applies to its holders on their next request (access:manage:all)."
    updateRole("The role's id." id: ID!, "The changes." input: UpdateRoleInput!): Role!
    "Grant a role to a member (access:manage:all). Granting twice changes nothing."
    grantRole("The grant." input: RoleGrantInput!): RoleGrant!
    "Revoke a role from a member; false when it was not granted (access:manage:all)."
    revokeRole("The grant to remove." input: RoleGrantInput!): Boolean!
    "Create an org unit (access:manage:all)."
    createOrgUnit("The unit." input: CreateOrgUnitInput!): OrgUnit!
    "Rename an org unit (access:manage:all)."
    renameOrgUnit("The unit." id: ID!, "The new name." name: String!): OrgUnit!
    "Move an org unit with its subtree under another parent, or to the top (access:manage:all)."
    moveOrgUnit("The unit." id: ID!, "The new parent; null for the top." parentId: ID): OrgUnit!
    "Delete an org unit that holds no units, members, grants or leads (access:manage:all)."
    deleteOrgUnit("The unit." id: ID!): Boolean!
    "Put a member in a unit (access:manage:all)."
    addMembership("The membership." input: MembershipInput!): Membership!
    "Change a member's position in a unit (access:manage:all)."
    changeMembershipPosition("The membership and its new position." input: MembershipInput!): Membership!
    "Take a member out of a unit; false when they were not in it (access:manage:all)."
    removeMembership("The membership." input: RemoveMembershipInput!): Boolean!
  }
`;

const upperToStored = (values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

type Ctx = GraphQLContext;

export const accessGraphQL: GraphQLModule = {
  name: 'access',
  typeDefs,
  resolvers: {
    MemberStatus: upperToStored(MEMBER_STATUSES),
    OrgUnitKind: upperToStored(UNIT_KINDS),
    Position: upperToStored(POSITIONS),
    Viewer: {
      member: (_: unknown, __: unknown, { requestContext: rc }: Ctx) =>
        rc.actor.memberId ? access.member(rc, rc.actor.memberId) : null,
      permissions: (_: unknown, __: unknown, { requestContext: rc }: Ctx) => rc.actor.granted,
    },
    Member: {
      memberships: (m: Member, _: unknown, { requestContext: rc }: Ctx) =>
        access.membershipsOf(rc, { memberId: m.id }),
      roleGrants: (m: Member, _: unknown, { requestContext: rc }: Ctx) => access.grantsOf(rc, m.id),
    },
    OrgUnit: {
      memberships: (u: OrgUnit, _: unknown, { requestContext: rc }: Ctx) =>
        access.membershipsOf(rc, { unitId: u.id }),
    },
    Membership: {
      member: (m: { memberId: string }, _: unknown, { requestContext: rc }: Ctx) =>
        access.member(rc, m.memberId),
      unit: (m: { unitId: string }, _: unknown, { requestContext: rc }: Ctx) => access.orgUnit(rc, m.unitId),
    },
    RoleGrant: {
      role: (g: { roleId: string }, _: unknown, { requestContext: rc }: Ctx) => access.role(rc, g.roleId),
    },
    Query: {
      members: (_: unknown, a: { status?: string | null }, { requestContext: rc }: Ctx) =>
        access.listMembers(rc, a.status),
      member: (_: unknown, a: { id: string }, { requestContext: rc }: Ctx) => access.getMember(rc, a.id),
      roles: (_: unknown, __: unknown, { requestContext: rc }: Ctx) => access.listRoles(rc),
      orgUnits: (_: unknown, __: unknown, { requestContext: rc }: Ctx) => access.listOrgUnits(rc),
      accessAuditLog: (
        _: unknown,
        a: { first: number; entityType?: string | null; entityId?: string | null },
        { requestContext: rc }: Ctx,
      ) => access.auditLog(rc, a.first, a.entityType, a.entityId),
    },
    Mutation: {
      setMemberStatus: (_: unknown, a: { id: string; status: unknown }, { requestContext: rc }: Ctx) =>
        access.setMemberStatus(rc, a.id, a.status),
      createRole: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.createRole(rc, a.input),
      updateRole: (_: unknown, a: { id: string; input: unknown }, { requestContext: rc }: Ctx) =>
        access.updateRole(rc, a.id, a.input),
      grantRole: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.grantRole(rc, a.input),
      revokeRole: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.revokeRole(rc, a.input),
      createOrgUnit: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.createOrgUnit(rc, a.input),
      renameOrgUnit: (_: unknown, a: { id: string; name: unknown }, { requestContext: rc }: Ctx) =>
        access.renameOrgUnit(rc, a.id, a.name),
      moveOrgUnit: (_: unknown, a: { id: string; parentId?: unknown }, { requestContext: rc }: Ctx) =>
        access.moveOrgUnit(rc, a.id, a.parentId ?? null),
      deleteOrgUnit: (_: unknown, a: { id: string }, { requestContext: rc }: Ctx) =>
        access.deleteOrgUnit(rc, a.id),
      addMembership: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.addMembership(rc, a.input),
      changeMembershipPosition: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.changeMembershipPosition(rc, a.input),
      removeMembership: (_: unknown, a: { input: unknown }, { requestContext: rc }: Ctx) =>
        access.removeMembership(rc, a.input),
    },
  },
};
