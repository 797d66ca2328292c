import { SCOPES, type Scope } from './permissions.js';

/** Which actions make sense for each resource (the API accepts any combination; these are the useful ones). */
export const MATRIX = {
  leads: ['read', 'create', 'update', 'delete', 'assign', 'export'],
  access: ['read', 'manage'],
} as const;
export type MatrixResource = keyof typeof MATRIX;

/** resource → action → the widest scope granted, or '' for none. */
export type RoleMatrix = { [R in MatrixResource]: Record<(typeof MATRIX)[R][number], Scope | ''> };

const rank = (s: Scope | '') => (s ? SCOPES.indexOf(s) : -1);

export function emptyMatrix(): RoleMatrix {
  const blank = <A extends string>(actions: readonly A[]) =>
    Object.fromEntries(actions.map((a) => [a, ''])) as Record<A, Scope | ''>;
  return { leads: blank(MATRIX.leads), access: blank(MATRIX.access) };
}

/**
 * A role's permission list as a matrix. Scopes widen (own ⊂ unit ⊂ subtree ⊂ all), so two scopes for one
 * action collapse to the wider; permissions the matrix cannot show come back in `other` and are kept.
 */
export function matrixFromPermissions(permissions: readonly string[]): {
  matrix: RoleMatrix;
  other: string[];
} {
  const matrix = emptyMatrix();
  const other: string[] = [];
  for (const text of permissions) {
    const [resource, action, scope, ...rest] = text.split(':');
    const row = matrix[resource as MatrixResource] as Record<string, Scope | ''> | undefined;
    if (!row || rest.length || !action || !(action in row) || !SCOPES.includes(scope as Scope)) {
      other.push(text);
      continue;
    }
    if (rank(scope as Scope) > rank(row[action] ?? '')) row[action] = scope as Scope;
  }
  return { matrix, other };
}

/** The matrix back as the API's list, in a stable order. */
export function permissionsFromMatrix(matrix: RoleMatrix, other: readonly string[] = []): string[] {
  const list: string[] = [];
  for (const resource of Object.keys(MATRIX) as MatrixResource[]) {
    const row = matrix[resource] as Record<string, Scope | ''>;
    for (const action of MATRIX[resource]) {
      const scope = row[action];
      if (scope) list.push(`${resource}:${action}:${scope}`);
    }
  }
  return [...list, ...other];
}

/** A role id from its name: "Lead exporter" → "lead_exporter" (what the API accepts as a key). */
export function roleIdFromName(name: string): string {
  const id = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return /^[a-z]/.test(id) ? id : `role_${id}`.slice(0, 64);
}
