import { Conflict, Forbidden, NotFound, ValidationFailed } from '@solar/common';
import type { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import type { DataAccess } from '../../engine/data/data-access.js';
import { isEmptyScope } from '../../engine/data/scope.js';
import {
  createOrgUnitInputSchema,
  createRoleInputSchema,
  grantInputSchema,
  ID,
  MEMBER_STATUSES,
  membershipInputSchema,
  POSITIONS,
  updateRoleInputSchema,
  type Member,
  type Membership,
  type OrgUnit,
  type Role,
  type RoleGrant,
} from './access-schema.js';
import { accessRepository, grantQuery, type Tables } from './access-repository.js';
import { recordAccessChange } from './audit-log.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { requiredText } from '../../engine/validation/fields.js';
import { z as zod } from 'zod';

/**
 * Access administration: members, roles and grants, the org tree, memberships. Reading the directory needs
 * `access:read` (any scope); every change needs `access:manage:all`, happens in one transaction with its
 * audit_log entry, and bumps the access version so it applies on the affected member's next request.
 */

const MAX_DEPTH = 15;

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[] = []): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}

function requireRead(rc: RequestContext): void {
  if (isEmptyScope(rc.actor.scope('access', 'read')))
    throw new Forbidden('You may not view members, roles or the org tree');
}
function requireManage(rc: RequestContext): void {
  if (!rc.actor.scope('access', 'manage').all) throw new Forbidden('Only administrators may change access');
}

/** audit_log entity types → GraphQL type names (the edge cache's tags) */
const ACCESS_TYPES: Record<string, string> = { member: 'Member', role: 'Role', org_unit: 'OrgUnit' };

/** Runs a change in a transaction with `audit(action, type, id, before, after)` bound to it. */
async function change<T>(
  rc: RequestContext,
  fn: (
    repo: ReturnType<typeof accessRepository>,
    t: Tables,
    audit: (
      action: string,
      entityType: string,
      entityId: string,
      before: unknown,
      after: unknown,
    ) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  requireManage(rc);
  return rc.data.transaction(async (data: DataAccess) => {
    const t: Tables = (name) => data.unscoped(name);
    // one access change at a time per tenant: uniqueness checks below cannot race, and the version bump
    // (recordAccessChange) lands in the same order as the changes
    await t('access_state').where({ id: 1 }).forUpdate().first('version');
    const audit = async (
      action: string,
      entityType: string,
      entityId: string,
      before: unknown,
      after: unknown,
    ) => {
      await recordAccessChange(t, {
        actorId: rc.actor.memberId,
        action,
        entityType,
        entityId,
        before: before ?? null,
        after: after ?? null,
        requestId: rc.requestId,
      });
      // already audited above; the event is for the other consumers (cache invalidation, later webhooks)
      await recordEvent(data, originOf(rc), {
        type: action,
        entityType: ACCESS_TYPES[entityType] ?? 'Member',
        entityId,
      });
    };
    return fn(accessRepository(t), t, audit);
  });
}

const repoOf = (rc: RequestContext) => accessRepository((name) => rc.data.unscoped(name));

// ── reading ────────────────────────────────────────────────────────────────────────────────────────────

export async function listMembers(rc: RequestContext, status?: string | null): Promise<Member[]> {
  requireRead(rc);
  const s = parse(zod.enum(MEMBER_STATUSES).nullish(), status, ['status']);
  return repoOf(rc).members(s);
}
export async function getMember(rc: RequestContext, id: string): Promise<Member | null> {
  requireRead(rc);
  return ID.safeParse(id).success ? repoOf(rc).member(id) : null;
}
export async function listRoles(rc: RequestContext): Promise<Role[]> {
  requireRead(rc);
  return repoOf(rc).roles();
}
export async function listOrgUnits(rc: RequestContext): Promise<OrgUnit[]> {
  requireRead(rc);
  return repoOf(rc).orgUnits();
}
export const membershipsOf = (rc: RequestContext, filter: { memberId?: string; unitId?: string }) =>
  repoOf(rc).membershipsOf(filter);
export const grantsOf = (rc: RequestContext, memberId: string) => repoOf(rc).grantsOf(memberId);
export const orgUnit = (rc: RequestContext, id: string) => repoOf(rc).orgUnit(id);
export const role = (rc: RequestContext, id: string) => repoOf(rc).role(id);
export const member = (rc: RequestContext, id: string) => repoOf(rc).member(id);

export async function auditLog(
  rc: RequestContext,
  first: number,
  entityType?: string | null,
  entityId?: string | null,
) {
  requireManage(rc);
  const n = parse(zod.number().int().min(1).max(200, 'At most 200'), first, ['first']);
  return (await repoOf(rc).auditLog(n, entityType, entityId)).map((r) => ({
    id: String(r['id']),
    actorId: (r['actor_id'] as string | null) ?? null,
    action: String(r['action']),
    entityType: String(r['entity_type']),
    entityId: String(r['entity_id']),
    before: jsonText(r['before_state']),
    after: jsonText(r['after_state']),
    requestId: (r['request_id'] as string | null) ?? null,
    createdAt: r['created_at'] as Date,
  }));
}

/** JSON columns come back as text or already parsed, depending on the server; the API shows text. */
const jsonText = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

// ── members ────────────────────────────────────────────────────────────────────────────────────────────

export async function setMemberStatus(rc: RequestContext, id: string, status: unknown): Promise<Member> {
  const s = parse(zod.enum(MEMBER_STATUSES, 'Must be ACTIVE or DISABLED'), status, ['status']);
  if (id === rc.actor.memberId && s === 'disabled')
    throw new ValidationFailed({ id: ['You cannot disable yourself'] });
  return change(rc, async (repo, t, audit) => {
    const before = await repo.member(id);
    if (!before) throw new NotFound('No such member');
    if (before.status === s) return before;
    await t('members').where({ id }).update({ status: s, updated_at: new Date() });
    const after = (await repo.member(id))!;
    await audit('member.status_changed', 'member', id, { status: before.status }, { status: s });
    return after;
  });
}

// ── roles ──────────────────────────────────────────────────────────────────────────────────────────────

export async function createRole(rc: RequestContext, raw: unknown): Promise<Role> {
  const input = parse(createRoleInputSchema, raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    if (await repo.role(input.id)) throw new Conflict(`A role ${input.id} already exists`);
    await t('roles').insert({
      id: input.id,
      name: input.name,
      description: input.description,
      permissions: JSON.stringify([...new Set(input.permissions)]),
      built_in: false,
    });
    const created = (await repo.role(input.id))!;
    await audit('role.created', 'role', input.id, null, created);
    return created;
  });
}

export async function updateRole(rc: RequestContext, id: string, raw: unknown): Promise<Role> {
  const input = parse(updateRoleInputSchema, raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    const before = await repo.role(id);
    if (!before) throw new NotFound('No such role');
    if (id === 'admin' && input.permissions)
      throw new Conflict(
        'The admin role keeps every permission, so the workspace always has an administrator',
      );
    await t('roles')
      .where({ id })
      .update({
        ...(input.name ? { name: input.name } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.permissions ? { permissions: JSON.stringify([...new Set(input.permissions)]) } : {}),
        updated_at: new Date(),
      });
    const after = (await repo.role(id))!;
    await audit('role.updated', 'role', id, before, after);
    return after;
  });
}

export async function grantRole(rc: RequestContext, raw: unknown): Promise<RoleGrant> {
  const g = parse(grantInputSchema, raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    if (!(await repo.member(g.memberId))) throw new NotFound('No such member');
    if (!(await repo.role(g.roleId))) throw new NotFound('No such role');
    if (g.unitId && !(await repo.orgUnit(g.unitId))) throw new NotFound('No such org unit');
    const existing = await repo.grant(g);
    if (existing) return existing;
    await t('role_grants').insert({ member_id: g.memberId, role_id: g.roleId, unit_id: g.unitId });
    await audit('role.granted', 'member', g.memberId, null, g);
    return g;
  });
}

export async function revokeRole(rc: RequestContext, raw: unknown): Promise<boolean> {
  const g = parse(grantInputSchema, raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    if (!(await repo.grant(g))) return false;
    await grantQuery(t, g).delete();
    if (g.roleId === 'admin' && (await repo.countAdmins()) === 0)
      throw new Conflict('The workspace needs at least one active administrator');
    await audit('role.revoked', 'member', g.memberId, g, null);
    return true;
  });
}

// ── org units ──────────────────────────────────────────────────────────────────────────────────────────

export async function createOrgUnit(rc: RequestContext, raw: unknown): Promise<OrgUnit> {
  const input = parse(createOrgUnitInputSchema, raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    const parent = input.parentId ? await repo.orgUnit(input.parentId) : null;
    if (input.parentId && !parent) throw new NotFound('No such parent unit');
    if (parent && parent.depth + 1 >= MAX_DEPTH)
      throw new ValidationFailed({ 'input.parentId': ['The tree is too deep'] });
    await assertNameFree(t, input.parentId, input.name);
    const id = uuidv7();
    await t('org_units').insert({
      id,
      kind: input.kind,
      name: input.name,
      parent_id: input.parentId,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
    });
    const created = (await repo.orgUnit(id))!;
    await audit('org_unit.created', 'org_unit', id, null, created);
    return created;
  });
}

export async function renameOrgUnit(rc: RequestContext, id: string, rawName: unknown): Promise<OrgUnit> {
  const name = parse(requiredText(200), rawName, ['name']);
  return change(rc, async (repo, t, audit) => {
    const before = await repo.orgUnit(id);
    if (!before) throw new NotFound('No such org unit');
    if (before.name === name) return before;
    await assertNameFree(t, before.parentId, name);
    await t('org_units').where({ id }).update({ name });
    const after = (await repo.orgUnit(id))!;
    await audit('org_unit.renamed', 'org_unit', id, { name: before.name }, { name });
    return after;
  });
}

/** Moves a unit (and its whole subtree) under another parent, or to the top when `parentId` is null. */
export async function moveOrgUnit(rc: RequestContext, id: string, rawParentId: unknown): Promise<OrgUnit> {
  const parentId = parse(
    ID.nullish().transform((v) => v ?? null),
    rawParentId,
    ['parentId'],
  );
  return change(rc, async (repo, t, audit) => {
    const unit = await repo.orgUnit(id);
    if (!unit) throw new NotFound('No such org unit');
    const parent = parentId ? await repo.orgUnit(parentId) : null;
    if (parentId && !parent) throw new NotFound('No such parent unit');
    if (parent?.path.startsWith(unit.path))
      throw new ValidationFailed({ parentId: ['A unit cannot move under itself or its own subtree'] });
    if (unit.parentId === parentId) return unit;
    await assertNameFree(t, parentId, unit.name);
    const newPath = `${parent?.path ?? '/'}${id}/`;
    const depthDelta = (parent ? parent.depth + 1 : 0) - unit.depth;
    const subtree = (await t('org_units')
      .where('path', 'like', `${unit.path}%`)
      .select('id', 'path', 'depth')) as Array<{
      id: string;
      path: string;
      depth: number;
    }>;
    if (Math.max(...subtree.map((u) => u.depth)) + depthDelta >= MAX_DEPTH)
      throw new ValidationFailed({ parentId: ['The tree would be too deep'] });
    // trees are small: rewriting each path of the subtree keeps this plain and portable
    for (const u of subtree)
      await t('org_units')
        .where({ id: u.id })
        .update({
          path: newPath + u.path.slice(unit.path.length),
          depth: u.depth + depthDelta,
          updated_at: new Date(),
        });
    await t('org_units').where({ id }).update({ parent_id: parentId });
    const after = (await repo.orgUnit(id))!;
    await audit('org_unit.moved', 'org_unit', id, { parentId: unit.parentId }, { parentId });
    return after;
  });
}

/** Deletes a unit that holds nothing: no child units, members, grants or leads. */
export async function deleteOrgUnit(rc: RequestContext, id: string): Promise<boolean> {
  return change(rc, async (repo, t, audit) => {
    const unit = await repo.orgUnit(id);
    if (!unit) throw new NotFound('No such org unit');
    if (await t('org_units').where({ parent_id: id }).first('id'))
      throw new Conflict('The unit still has child units');
    if (await t('memberships').where({ unit_id: id }).first('unit_id'))
      throw new Conflict('The unit still has members');
    if (await t('role_grants').where({ unit_id: id }).first('id'))
      throw new Conflict('Roles are still granted within the unit');
    try {
      await t('org_units').where({ id }).delete();
    } catch (err) {
      // leads reference their unit by foreign key; a unit that owns leads is not empty
      if ((err as { errno?: number }).errno === 1451) throw new Conflict('The unit still owns leads');
      throw err;
    }
    await audit('org_unit.deleted', 'org_unit', id, unit, null);
    return true;
  });
}

async function assertNameFree(t: Tables, parentId: string | null, name: string) {
  const q = t('org_units').where({ name });
  if (parentId) q.where({ parent_id: parentId });
  else q.whereNull('parent_id');
  if (await q.first('id')) throw new Conflict(`A unit named ${name} already exists there`);
}

// ── memberships ────────────────────────────────────────────────────────────────────────────────────────

export async function addMembership(rc: RequestContext, raw: unknown): Promise<Membership> {
  const m = parse(membershipInputSchema, raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    if (!(await repo.member(m.memberId))) throw new NotFound('No such member');
    if (!(await repo.orgUnit(m.unitId))) throw new NotFound('No such org unit');
    if (await repo.membership(m.memberId, m.unitId)) throw new Conflict('Already a member of that unit');
    await t('memberships').insert({ member_id: m.memberId, unit_id: m.unitId, position: m.position });
    await audit('membership.added', 'member', m.memberId, null, m);
    return m;
  });
}

export async function changeMembershipPosition(rc: RequestContext, raw: unknown): Promise<Membership> {
  const m = parse(
    membershipInputSchema.required({ position: true }).extend({ position: zod.enum(POSITIONS) }),
    raw,
    ['input'],
  );
  return change(rc, async (repo, t, audit) => {
    const before = await repo.membership(m.memberId, m.unitId);
    if (!before) throw new NotFound('No such membership');
    if (before.position === m.position) return before;
    await t('memberships')
      .where({ member_id: m.memberId, unit_id: m.unitId })
      .update({ position: m.position });
    await audit('membership.position_changed', 'member', m.memberId, before, m);
    return m;
  });
}

export async function removeMembership(rc: RequestContext, raw: unknown): Promise<boolean> {
  const m = parse(membershipInputSchema.pick({ memberId: true, unitId: true }), raw, ['input']);
  return change(rc, async (repo, t, audit) => {
    const before = await repo.membership(m.memberId, m.unitId);
    if (!before) return false;
    await t('memberships').where({ member_id: m.memberId, unit_id: m.unitId }).delete();
    await audit('membership.removed', 'member', m.memberId, before, null);
    return true;
  });
}
