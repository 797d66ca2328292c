import type { Knex } from 'knex';

/**
 * Adds permissions to built-in roles (those a tenant admin has not deleted) and bumps the access version,
 * so running runtimes reload every member's permissions on their next request. Idempotent per permission.
 */
export async function addRolePermissions(db: Knex, byRole: Record<string, string[]>): Promise<void> {
  for (const [roleId, add] of Object.entries(byRole)) {
    const role = (await db('roles').where({ id: roleId }).first('permissions')) as
      { permissions: string | string[] } | undefined;
    if (!role) continue;
    const current =
      typeof role.permissions === 'string' ? (JSON.parse(role.permissions) as string[]) : role.permissions;
    const next = [...new Set([...current, ...add])];
    await db('roles')
      .where({ id: roleId })
      .update({ permissions: JSON.stringify(next), updated_at: db.raw('CURRENT_TIMESTAMP(3)') });
  }
  await db('access_state').where({ id: 1 }).increment('version', 1);
}
