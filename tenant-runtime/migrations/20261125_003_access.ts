import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

const LEAD_ACTIONS = ['read', 'create', 'update', 'delete', 'assign', 'export'] as const;
const all = (resource: string, actions: readonly string[], scope: string) =>
  actions.map((a) => `${resource}:${a}:${scope}`);

/** The roles every tenant starts with (frozen here: later changes are new migrations). */
const DEFAULT_ROLES = [
  {
    id: 'admin',
    name: 'Administrator',
    description: 'Runs the workspace: every lead, and members, roles and the org tree.',
    permissions: [...all('leads', LEAD_ACTIONS, 'all'), 'access:read:all', 'access:manage:all'],
  },
  {
    id: 'sales_manager',
    name: 'Sales manager',
    description: 'Leads the sales org below the units they lead or manage.',
    permissions: [...all('leads', LEAD_ACTIONS, 'subtree'), 'access:read:subtree'],
  },
  {
    id: 'sales_rep',
    name: 'Sales rep',
    description: 'Works their own leads; may hand them to a teammate.',
    permissions: ['leads:read:own', 'leads:create:own', 'leads:update:own', 'leads:assign:unit'],
  },
  {
    id: 'project_manager',
    name: 'Project manager',
    description: "Follows the team's leads into projects.",
    permissions: ['leads:read:unit', 'leads:update:unit'],
  },
  {
    id: 'field_tech',
    name: 'Field tech',
    description: 'Sees the leads assigned to them for site surveys.',
    permissions: ['leads:read:own'],
  },
  {
    id: 'support_agent',
    name: 'Support agent',
    description: 'Finds any lead or customer who calls; logs new leads.',
    permissions: ['leads:read:all', 'leads:create:own'],
  },
  {
    id: 'analyst',
    name: 'Analyst',
    description: 'Read-only: every lead, exports and the org directory.',
    permissions: ['leads:read:all', 'leads:export:all', 'access:read:all'],
  },
];

/**
 * Access control inside a tenant: members (platform identities, created on first request), the org tree,
 * memberships with a position, roles with `resource:action:scope` permissions and their grants, the audit
 * log, and one version counter that every access change bumps (caches compare it on each request).
 *
 * The org tree is a materialised path (`/root/…/self/`, ids): a subtree is one index range scan
 * (`path LIKE '/a/b/%'`), ancestors are the path itself, and moving a unit rewrites only its own subtree's
 * paths. A closure table would answer the same queries but needs depth × size rows kept in step on every
 * move; our trees are small, shallow and read far more often than they change.
 */
export const accessInitial: Migration = {
  name: '20261125_003_access',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('members', (t) => {
      t.specificType('id', ID).primary().comment('the platform identity id (token sub)');
      t.string('display_name', 200).notNullable();
      t.string('email', 254).nullable();
      t.enu('status', ['active', 'disabled']).notNullable().defaultTo('active');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['status']);
    });
    await db.schema.createTable('org_units', (t) => {
      t.specificType('id', ID).primary();
      t.enu('kind', ['region', 'branch', 'division', 'department', 'team']).notNullable();
      t.string('name', 200).notNullable();
      t.specificType('parent_id', ID).nullable().references('id').inTable('org_units');
      t.specificType('path', 'VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin')
        .notNullable()
        .comment('/<root id>/…/<own id>/ — subtree = path LIKE prefix%');
      t.tinyint('depth').unsigned().notNullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.unique(['path']);
      t.unique(['parent_id', 'name']);
    });
    await db.schema.createTable('memberships', (t) => {
      t.specificType('member_id', ID).notNullable().references('id').inTable('members');
      t.specificType('unit_id', ID).notNullable().references('id').inTable('org_units');
      t.enu('position', ['member', 'lead', 'manager', 'director']).notNullable().defaultTo('member');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.primary(['member_id', 'unit_id']);
      t.index(['unit_id']);
    });
    await db.schema.createTable('roles', (t) => {
      t.string('id', 64).primary().comment('stable key, e.g. sales_rep');
      t.string('name', 100).notNullable();
      t.string('description', 500).notNullable().defaultTo('');
      t.json('permissions').notNullable().comment('["leads:read:own", …]');
      t.boolean('built_in').notNullable().defaultTo(false);
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await db.schema.createTable('role_grants', (t) => {
      t.bigIncrements('id');
      t.specificType('member_id', ID).notNullable().references('id').inTable('members');
      t.string('role_id', 64).notNullable().references('id').inTable('roles');
      t.specificType('unit_id', ID)
        .nullable()
        .references('id')
        .inTable('org_units')
        .comment('null: tenant-wide');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      // no unique key: NULL unit ids never collide in one, so access-service checks under the access lock
      t.index(['member_id', 'role_id']);
      t.index(['role_id']);
    });
    await db.schema.createTable('audit_log', (t) => {
      t.bigIncrements('id');
      t.specificType('actor_id', ID).nullable().comment('member who made the change; null for the system');
      t.string('action', 64).notNullable();
      t.string('entity_type', 32).notNullable();
      t.string('entity_id', 128).notNullable();
      t.json('before_state').nullable();
      t.json('after_state').nullable();
      t.string('request_id', 128).nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['entity_type', 'entity_id', 'id']);
      t.index(['created_at']);
    });
    await db.schema.createTable('access_state', (t) => {
      t.tinyint('id').unsigned().primary();
      t.bigInteger('version').unsigned().notNullable().comment('bumped by every access change');
    });
    await db('access_state').insert({ id: 1, version: 1 });
    await db('roles').insert(
      DEFAULT_ROLES.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        permissions: JSON.stringify(r.permissions),
        built_in: true,
      })),
    );
  },
};
