import { tenantIdPattern, type TenantSpec } from '../tenant-spec.js';

/**
 * Privileges the tenant user holds on its own schema: what the runtime and its migrations need to own their
 * tables. No GRANT OPTION, nothing global, nothing on any other schema.
 */
export const tenantPrivileges = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'ALTER',
  'INDEX',
  'REFERENCES',
  'CREATE TEMPORARY TABLES',
  'LOCK TABLES',
  'CREATE VIEW',
  'SHOW VIEW',
  'TRIGGER',
  'EXECUTE',
  'CREATE ROUTINE',
  'ALTER ROUTINE',
] as const;

export interface DesiredTenant {
  schema: string;
  user: string;
  charset: 'utf8mb4';
  collation: 'utf8mb4_unicode_ci';
  privileges: readonly string[];
  endpoint: string;
  runtimeVersion: string;
  suspended: boolean;
  suspendMode: 'ReadOnly' | 'Blocked';
}

/** The state the world should be in for this tenant. Pure: same input, same output, no I/O. */
export function desired(tenant: { id: string; spec: TenantSpec }, endpoint: string): DesiredTenant {
  if (!tenantIdPattern.test(tenant.id)) throw new Error(`invalid tenant id ${JSON.stringify(tenant.id)}`);
  const name = `t_${tenant.id}`;
  return {
    schema: name,
    user: name,
    charset: 'utf8mb4',
    collation: 'utf8mb4_unicode_ci',
    privileges: tenantPrivileges,
    endpoint,
    runtimeVersion: tenant.spec.runtime.version,
    suspended: tenant.spec.suspended,
    suspendMode: tenant.spec.suspendMode,
  };
}
