import { describe, expect, it } from 'vitest';
import { matrixFromPermissions, permissionsFromMatrix, roleIdFromName } from './role-matrix.js';

describe('role permissions as a matrix', () => {
  it('shows each resource × action with its scope, keeping the wider of two', () => {
    const { matrix, other } = matrixFromPermissions([
      'leads:read:own',
      'leads:read:subtree',
      'leads:assign:unit',
      'access:read:all',
    ]);
    expect(matrix.leads).toMatchObject({ read: 'subtree', assign: 'unit', delete: '' });
    expect(matrix.access).toEqual({ read: 'all', manage: '' });
    expect(other).toEqual([]);
  });

  it('round-trips to the API list and keeps permissions it cannot show', () => {
    const { matrix, other } = matrixFromPermissions(['projects:read:all', 'leads:export:all']);
    expect(other).toEqual(['projects:read:all']);
    matrix.access.read = 'unit';
    expect(permissionsFromMatrix(matrix, other)).toEqual([
      'leads:export:all',
      'access:read:unit',
      'projects:read:all',
    ]);
  });

  it('derives a valid role key from a name', () => {
    expect(roleIdFromName('Lead exporter')).toBe('lead_exporter');
    expect(roleIdFromName('  2nd-line Support! ')).toBe('role_2nd_line_support');
  });
});
