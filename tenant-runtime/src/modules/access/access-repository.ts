import type { Knex } from '@solar/common';
import type { Member, Membership, OrgUnit, Role, RoleGrant } from './access-schema.js';

/**
 * The access tables (members, org units, memberships, roles, grants). None of them is row-scoped: the
 * directory of who works where is visible to anyone holding `access:read`, and changed only by
 * `access:manage:all` (checked in access-service.ts). `db` is `data.unscoped` of the request or its transaction.
 */
export type Tables = (name: string) => Knex.QueryBuilder;

export function accessRepository(db: Tables) {
  return {
    async members(status?: string | null): Promise<Member[]> {
      const q = db('members').orderBy('display_name').orderBy('id');
      if (status) q.where({ status });
      return ((await q) as Row[]).map(toMember);
    },
    async member(id: string): Promise<Member | null> {
      const row = (await db('members').where({ id }).first()) as Row | undefined;
      return row ? toMember(row) : null;
    },
    async roles(): Promise<Role[]> {
      return ((await db('roles').orderBy('id')) as Row[]).map(toRole);
    },
    async role(id: string): Promise<Role | null> {
      const row = (await db('roles').where({ id }).first()) as Row | undefined;
      return row ? toRole(row) : null;
    },
    async orgUnits(): Promise<OrgUnit[]> {
      return ((await db('org_units').orderBy('path')) as Row[]).map(toUnit);
    },
    async orgUnit(id: string): Promise<OrgUnit | null> {
      const row = (await db('org_units').where({ id }).first()) as Row | undefined;
      return row ? toUnit(row) : null;
    },
    async membershipsOf(filter: { memberId?: string; unitId?: string }): Promise<Membership[]> {
      const q = db('memberships').orderBy('created_at').orderBy('unit_id');
      if (filter.memberId) q.where({ member_id: filter.memberId });
      if (filter.unitId) q.where({ unit_id: filter.unitId });
      return ((await q) as Row[]).map(toMembership);
    },
    async membership(memberId: string, unitId: string): Promise<Membership | null> {
      const row = (await db('memberships').where({ member_id: memberId, unit_id: unitId }).first()) as
        Row | undefined;
      return row ? toMembership(row) : null;
    },
    async grantsOf(memberId: string): Promise<RoleGrant[]> {
      return ((await db('role_grants').where({ member_id: memberId }).orderBy('id')) as Row[]).map(toGrant);
    },
    async grant(g: RoleGrant): Promise<RoleGrant | null> {
      const row = (await grantQuery(db, g).first()) as Row | undefined;
      return row ? toGrant(row) : null;
    },
    async countAdmins(): Promise<number> {
      const r = (await db('role_grants as g')
        .join('members as m', 'm.id', 'g.member_id')
        .where({ 'g.role_id': 'admin', 'm.status': 'active' })
        .whereNull('g.unit_id')
        .countDistinct({ n: 'g.member_id' })
        .first()) as { n: number | string };
      return Number(r.n);
    },
    async auditLog(first: number, entityType?: string | null, entityId?: string | null): Promise<Row[]> {
      const q = db('audit_log').orderBy('id', 'desc').limit(first);
      if (entityType) q.where({ entity_type: entityType });
      if (entityId) q.where({ entity_id: entityId });
      return (await q) as Row[];
    },
  };
}

type Row = Record<string, unknown>;

/** The role_grants row(s) of one grant (NULL unit = tenant-wide). */
export function grantQuery(db: Tables, g: RoleGrant): Knex.QueryBuilder {
  const q = db('role_grants').where({ member_id: g.memberId, role_id: g.roleId });
  return g.unitId ? q.where({ unit_id: g.unitId }) : q.whereNull('unit_id');
}
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toMember = (r: Row): Member => ({
  id: String(r['id']),
  displayName: String(r['display_name']),
  email: text(r['email']),
  status: r['status'] as Member['status'],
  createdAt: r['created_at'] as Date,
});
const toRole = (r: Row): Role => ({
  id: String(r['id']),
  name: String(r['name']),
  description: String(r['description']),
  permissions:
    typeof r['permissions'] === 'string'
      ? (JSON.parse(r['permissions']) as string[])
      : (r['permissions'] as string[]),
  builtIn: Boolean(r['built_in']),
});
const toUnit = (r: Row): OrgUnit => ({
  id: String(r['id']),
  kind: r['kind'] as OrgUnit['kind'],
  name: String(r['name']),
  parentId: text(r['parent_id']),
  path: String(r['path']),
  depth: Number(r['depth']),
});
const toMembership = (r: Row): Membership => ({
  memberId: String(r['member_id']),
  unitId: String(r['unit_id']),
  position: r['position'] as Membership['position'],
});
const toGrant = (r: Row): RoleGrant => ({
  memberId: String(r['member_id']),
  roleId: String(r['role_id']),
  unitId: text(r['unit_id']),
});
