/** GraphQL operations of the access screens (settings) and the viewer, as plain strings (see lead-documents). */

export const VIEWER_QUERY = `
  query Viewer {
    viewer { userId permissions member { id displayName } }
  }
`;

export const DIRECTORY_QUERY = `
  query Directory {
    members { id displayName status }
    orgUnits { id kind name parentId depth }
  }
`;

const MEMBER_FIELDS = `
  id displayName email status createdAt
  memberships { unitId position }
  roleGrants { roleId unitId }
`;

export const MEMBERS_QUERY = `
  query Members {
    members { ${MEMBER_FIELDS} }
    roles { id name }
    orgUnits { id kind name parentId depth }
  }
`;

export const ROLE_FIELDS = `id name description permissions builtIn`;

export const ROLES_QUERY = `
  query Roles { roles { ${ROLE_FIELDS} } }
`;

export const ORG_UNITS_QUERY = `
  query OrgUnits { orgUnits { id kind name parentId depth memberships { memberId } } }
`;

export const AUDIT_LOG_QUERY = `
  query AuditLog($first: Int!, $entityType: String) {
    accessAuditLog(first: $first, entityType: $entityType) {
      id actorId action entityType entityId before after createdAt
    }
    members { id displayName }
  }
`;

export const SET_MEMBER_STATUS = `
  mutation SetMemberStatus($id: ID!, $status: MemberStatus!) {
    setMemberStatus(id: $id, status: $status) { id status }
  }
`;

export const CREATE_ROLE = `
  mutation CreateRole($input: CreateRoleInput!) { createRole(input: $input) { ${ROLE_FIELDS} } }
`;

export const UPDATE_ROLE = `
  mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
    updateRole(id: $id, input: $input) { ${ROLE_FIELDS} }
  }
`;

export const GRANT_ROLE = `
  mutation GrantRole($input: RoleGrantInput!) { grantRole(input: $input) { memberId roleId unitId } }
`;

export const REVOKE_ROLE = `
  mutation RevokeRole($input: RoleGrantInput!) { revokeRole(input: $input) }
`;

export const ADD_MEMBERSHIP = `
  mutation AddMembership($input: MembershipInput!) {
    addMembership(input: $input) { memberId unitId position }
  }
`;

export const REMOVE_MEMBERSHIP = `
  mutation RemoveMembership($input: RemoveMembershipInput!) { removeMembership(input: $input) }
`;

const UNIT_FIELDS = `id kind name parentId depth`;

export const CREATE_ORG_UNIT = `
  mutation CreateOrgUnit($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { ${UNIT_FIELDS} } }
`;

export const RENAME_ORG_UNIT = `
  mutation RenameOrgUnit($id: ID!, $name: String!) { renameOrgUnit(id: $id, name: $name) { ${UNIT_FIELDS} } }
`;

export const MOVE_ORG_UNIT = `
  mutation MoveOrgUnit($id: ID!, $parentId: ID) { moveOrgUnit(id: $id, parentId: $parentId) { ${UNIT_FIELDS} } }
`;

export const DELETE_ORG_UNIT = `
  mutation DeleteOrgUnit($id: ID!) { deleteOrgUnit(id: $id) }
`;
