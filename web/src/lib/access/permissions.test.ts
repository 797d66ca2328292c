import { describe, expect, it } from 'vitest';
import { can, canAll, leadAbilities, navFor, parsePermission } from './permissions.js';

const REP = ['leads:read:own', 'leads:create:own', 'leads:update:own', 'leads:assign:unit'];
const ADMIN = [
  'leads:read:all',
  'leads:delete:all',
  'leads:export:all',
  'access:read:all',
  'access:manage:all',
];

describe('what the viewer may use', () => {
  it('reads permissions, including grants limited to one unit', () => {
    expect(parsePermission('leads:read:subtree@0190b000-0000-7000-8000-000000000001')).toEqual({
      resource: 'leads',
      action: 'read',
      scope: 'subtree',
      unitId: '0190b000-0000-7000-8000-000000000001',
    });
    expect(parsePermission('nonsense')).toBeNull();
  });

  it('shows a sales rep leads but not settings', () => {
    expect(navFor(REP).map((i) => i.label)).toEqual(['Dashboard', 'Leads']);
    expect(navFor(ADMIN).map((i) => i.label)).toEqual(['Dashboard', 'Leads', 'Settings']);
    expect(navFor([])).toEqual([]);
    expect(navFor([...ADMIN, 'opportunities:read:all', 'customers:read:own']).map((i) => i.label)).toEqual([
      'Dashboard',
      'Leads',
      'Pipeline',
      'Customers',
      'Settings',
    ]);
  });

  it('offers delete and export only to those granted them, at any scope', () => {
    expect(leadAbilities(REP)).toMatchObject({
      delete: false,
      export: false,
      assign: true,
      directory: false,
    });
    expect(leadAbilities(ADMIN)).toMatchObject({ delete: true, export: true, directory: true });
    expect(can(['leads:export:own@x'], 'leads', 'export')).toBe(true);
  });

  it('treats administration as tenant-wide only', () => {
    expect(canAll(ADMIN, 'access', 'manage')).toBe(true);
    expect(canAll(['access:manage:all@unit-1'], 'access', 'manage')).toBe(false);
  });
});
