import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Per-tenant single sign-on through OpenID Connect: the tenant's provider settings (client secret sealed
 * under the platform key with the tenant id as associated data) and the links from a provider account
 * (issuer + subject) to the platform identity it signs in as.
 */
export const tenantSso: Migration = {
  name: '20261124_030_tenant_sso',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('tenant_sso', (t) => {
      t.string('tenant_id', 20).primary().references('tenants.id').onDelete('CASCADE');
      t.string('issuer', 255)
        .notNullable()
        .comment('OIDC issuer identifier, exactly as the provider states it');
      t.string('client_id', 255).notNullable();
      t.text('client_secret_sealed')
        .notNullable()
        .comment('AES-256-GCM under PLATFORM_SECRET_KEY, associated data = tenant id; never returned');
      t.json('allowed_email_domains').notNullable().comment('lower-case domains; only these may sign in');
      t.string('default_role', 64).notNullable().comment('runtime role key given to members created by SSO');
      t.boolean('enabled').notNullable().defaultTo(true);
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await db.schema.createTable('identity_sso_links', (t) => {
      t.bigIncrements('id');
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.uuid('identity_id').notNullable().references('identities.id').onDelete('CASCADE');
      t.string('issuer', 255).notNullable();
      t.string('subject', 255).notNullable().comment('the provider `sub`: stable, unlike the email');
      t.string('default_role', 64)
        .nullable()
        .comment('set when SSO created the identity: the role the runtime grants on first sight');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('last_sign_in_at', { precision: 3 }).nullable();
      // One provider account is one member per tenant (the same person may belong to several tenants)…
      t.unique(['tenant_id', 'issuer', 'subject']);
      // …and a member holds at most one account per provider, so a recycled email cannot take it over.
      t.unique(['identity_id', 'issuer']);
    });
  },
};
