import type { Knex } from '@solar/common';
import { LRUCache } from 'lru-cache';
import { NO_SCOPE, type Actor, type Assignability, type Scope } from '../../engine/data/scope.js';
import type { Caller, RuntimeState } from '../../engine/context.js';
import type { Middleware } from '../../engine/http/koa.js';
import { UUID } from '../../engine/validation/fields.js';
import { MemberDisabled } from './access-errors.js';
import { recordAccessChange } from './audit-log.js';
import { loadEffectivePermissions, type EffectivePermissions } from './effective-permissions.js';

export interface AccessResolver {
  /** The caller as a member of the tenant `db` serves; creates the member on their first request. */
  resolve(
    db: Knex,
    tenantId: string,
    caller: Caller,
    options: { readOnly: boolean; requestId: string | null },
  ): Promise<Actor>;
  readonly cacheSize: number;
}

interface Cached {
  version: number;
  ownershipVersion: number;
  permissions: EffectivePermissions;
}

interface MemberAndVersion {
  version: number | string;
  ownership_version: number | string | null;
  id: string | null;
  status: string | null;
  display_name: string | null;
  email: string | null;
}

/**
 * Effective permissions per (tenant, member), in an LRU. Each request reads the member row and the tenant's
 * access version in one primary-key query; every access change bumps that version in its own transaction,
 * so a changed role, membership or unit applies on the member's next request, in every runtime process.
 * The member's ownership version (bumped by triggers when they come to own rows in a unit new to them)
 * refreshes what they own where, which decides whether their pages need an "owner = me" branch.
 */
export function createAccessResolver(options: { max?: number } = {}): AccessResolver {
  const cache = new LRUCache<string, Cached>({ max: options.max ?? 10_000 });

  const readState = async (db: Knex, memberId: string) =>
    (await db('access_state as s')
      .leftJoin('members as m', (j) => j.on('m.id', '=', db.raw('?', [memberId])))
      .where('s.id', 1)
      .first('s.version', 'm.ownership_version', 'm.id', 'm.status', 'm.display_name', 'm.email')) as
      MemberAndVersion | undefined;

  const resolve: AccessResolver['resolve'] = async (db, tenantId, caller, o) => {
    // machine callers (not identities) are no members: they reach no rows until API-key roles exist
    if (!UUID.test(caller.userId)) return actorFor(db, null);
    let state = await readState(db, caller.userId);
    if (!state) throw new Error('access_state is missing: tenant schema not migrated');
    if (!state.id) {
      if (o.readOnly) return actorFor(db, null);
      await joinTenant(db, caller, o.requestId);
      state = (await readState(db, caller.userId))!;
    }
    if (state.status === 'disabled') throw new MemberDisabled();
    const version = Number(state.version);
    const ownershipVersion = Number(state.ownership_version ?? 0);
    const key = `${tenantId}:${caller.userId}`;
    let hit = cache.get(key);
    if (!hit || hit.version !== version || hit.ownershipVersion !== ownershipVersion) {
      hit = { version, ownershipVersion, permissions: await loadEffectivePermissions(db, caller.userId) };
      cache.set(key, hit);
    }
    return actorFor(db, hit.permissions);
  };

  return {
    resolve,
    get cacheSize() {
      return cache.size;
    },
  };
}

/**
 * First request of a member: create them (no role). The very first member of a tenant becomes its admin —
 * a fresh workspace has nobody else who could grant the first role. Serialised on the access_state row so
 * two simultaneous first requests cannot both become that first admin.
 */
async function joinTenant(db: Knex, caller: Caller, requestId: string | null): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('access_state').where({ id: 1 }).forUpdate().first('version');
    if (await trx('members').where({ id: caller.userId }).first('id')) return;
    const nobodyYet = !(await trx('members').first('id'));
    const member = {
      id: caller.userId,
      display_name: caller.name ?? caller.email ?? 'New member',
      email: caller.email ?? null,
      status: 'active',
    };
    await trx('members').insert(member);
    await recordAccessChange(trx, {
      actorId: caller.userId,
      action: 'member.joined',
      entityType: 'member',
      entityId: caller.userId,
      after: member,
      requestId,
    });
    if (nobodyYet) {
      await trx('role_grants').insert({ member_id: caller.userId, role_id: 'admin', unit_id: null });
      await recordAccessChange(trx, {
        actorId: null,
        action: 'role.granted',
        entityType: 'member',
        entityId: caller.userId,
        after: { roleId: 'admin', unitId: null, reason: 'first member of the workspace' },
        requestId,
      });
    }
  });
}

function actorFor(db: Knex, p: EffectivePermissions | null): Actor {
  if (!p)
    return {
      memberId: null,
      primaryUnitId: null,
      granted: [],
      scope: () => NO_SCOPE,
      assignable: async () => 'no_such_member',
    };
  return {
    memberId: p.memberId,
    primaryUnitId: p.primaryUnitId,
    scope: p.scope,
    granted: p.granted,
    ownedUnits: p.ownedUnits,
    async assignable(ownerId: string, scope: Scope): Promise<Assignability> {
      const member = (await db('members').where({ id: ownerId }).first('status')) as
        { status: string } | undefined;
      if (member?.status !== 'active') return 'no_such_member';
      if (scope.all) return 'ok';
      const units = [...scope.units, ...(scope.own ? scope.ownUnits : [])];
      if (!units.length) return 'out_of_scope';
      const inScope = await db('memberships')
        .where({ member_id: ownerId })
        .whereIn('unit_id', units)
        .first('unit_id');
      return inScope ? 'ok' : 'out_of_scope';
    },
  };
}

/** Koa middleware: after the tenant is resolved, the caller becomes an actor with resolved permissions. */
export function resolveAccess(resolver: AccessResolver): Middleware<RuntimeState> {
  return async (ctx, next) => {
    const { caller, tenant } = ctx.state;
    if (!caller || !tenant)
      throw new Error('resolveAccess needs authenticate and resolveTenant to run first');
    ctx.state.actor = await resolver.resolve(tenant.db, tenant.id, caller, {
      readOnly: tenant.readOnly,
      requestId: ctx.state.requestId,
    });
    return next();
  };
}
