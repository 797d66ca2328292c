/**
 * The viewer's permissions as the API lists them (`resource:action:scope`, with `@<unit id>` when granted
 * within one unit). The UI only asks "may I use this at all?"; the API still decides row by row.
 */
export const RESOURCES = ['leads', 'access', 'customers', 'opportunities'] as const;
export const ACTIONS = ['read', 'create', 'update', 'delete', 'assign', 'export', 'manage'] as const;
export const SCOPES = ['own', 'unit', 'subtree', 'all'] as const;
export type Resource = (typeof RESOURCES)[number];
export type Action = (typeof ACTIONS)[number];
export type Scope = (typeof SCOPES)[number];

export interface Permission {
  resource: string;
  action: string;
  scope: string;
  /** the unit a grant is limited to, if any */
  unitId: string | null;
}

export function parsePermission(text: string): Permission | null {
  const [body = '', unitId] = text.split('@', 2);
  const [resource, action, scope, ...rest] = body.split(':');
  if (!resource || !action || !scope || rest.length) return null;
  return { resource, action, scope, unitId: unitId || null };
}

/** Whether any granted permission allows `action` on `resource`, at any scope. */
export function can(granted: readonly string[], resource: Resource, action: Action): boolean {
  return granted.some((text) => {
    const p = parsePermission(text);
    return p?.resource === resource && p.action === action;
  });
}

/** Whether the viewer holds `resource:action:all` tenant-wide (administrative actions need exactly this). */
export function canAll(granted: readonly string[], resource: Resource, action: Action): boolean {
  return granted.includes(`${resource}:${action}:all`);
}

export type NavHref = '/' | '/leads' | '/pipeline' | '/customers' | '/settings';
export interface NavItem {
  href: NavHref;
  label: string;
  icon: 'home' | 'leads' | 'pipeline' | 'building' | 'settings';
}

/** The main navigation: only the sections the viewer may use. */
export function navFor(granted: readonly string[]): NavItem[] {
  const items: NavItem[] = [];
  if (can(granted, 'leads', 'read')) {
    items.push({ href: '/', label: 'Dashboard', icon: 'home' });
    items.push({ href: '/leads', label: 'Leads', icon: 'leads' });
  }
  if (can(granted, 'opportunities', 'read'))
    items.push({ href: '/pipeline', label: 'Pipeline', icon: 'pipeline' });
  if (can(granted, 'customers', 'read'))
    items.push({ href: '/customers', label: 'Customers', icon: 'building' });
  if (can(granted, 'access', 'read')) items.push({ href: '/settings', label: 'Settings', icon: 'settings' });
  return items;
}

/** What the leads screens offer the viewer. */
export interface LeadAbilities {
  create: boolean;
  update: boolean;
  delete: boolean;
  assign: boolean;
  export: boolean;
  /** the member and unit directory (names instead of ids, pickers) */
  directory: boolean;
}

export function leadAbilities(granted: readonly string[]): LeadAbilities {
  return {
    create: can(granted, 'leads', 'create'),
    update: can(granted, 'leads', 'update'),
    delete: can(granted, 'leads', 'delete'),
    assign: can(granted, 'leads', 'assign'),
    export: can(granted, 'leads', 'export'),
    directory: can(granted, 'access', 'read'),
  };
}
