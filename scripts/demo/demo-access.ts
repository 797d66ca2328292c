import type { Knex } from '@solar/common';

/**
 * The acme org tree, its members and their roles. Ids are fixed so seeding twice writes nothing:
 *
 *   West (region) ── Phoenix (branch) ── Phoenix Sales (team)
 *                 └─ Tucson (branch)  ── Tucson Sales (team)
 *   Central (region) ── Austin (branch) ── Austin Sales (team)
 *                    └─ Dallas (branch) ── Dallas Sales (team)
 */
const unitId = (n: number) => `0190b000-0000-7000-8000-${n.toString().padStart(12, '0')}`;
const TREE = [
  { id: unitId(1), kind: 'region', name: 'West', parent: null },
  { id: unitId(2), kind: 'branch', name: 'Phoenix', parent: unitId(1) },
  { id: unitId(3), kind: 'team', name: 'Phoenix Sales', parent: unitId(2) },
  { id: unitId(4), kind: 'branch', name: 'Tucson', parent: unitId(1) },
  { id: unitId(5), kind: 'team', name: 'Tucson Sales', parent: unitId(4) },
  { id: unitId(6), kind: 'region', name: 'Central', parent: null },
  { id: unitId(7), kind: 'branch', name: 'Austin', parent: unitId(6) },
  { id: unitId(8), kind: 'team', name: 'Austin Sales', parent: unitId(7) },
  { id: unitId(9), kind: 'branch', name: 'Dallas', parent: unitId(6) },
  { id: unitId(10), kind: 'team', name: 'Dallas Sales', parent: unitId(9) },
] as const;
export const DEMO_TEAMS = {
  phoenix: unitId(3),
  tucson: unitId(5),
  austin: unitId(8),
  dallas: unitId(10),
} as const;

/** Which team a demo lead belongs to: by the city it is in, else round the teams. */
const CITY_TEAM: Record<string, string> = {
  Phoenix: DEMO_TEAMS.phoenix,
  Mesa: DEMO_TEAMS.phoenix,
  Tucson: DEMO_TEAMS.tucson,
  Albuquerque: DEMO_TEAMS.tucson,
  Austin: DEMO_TEAMS.austin,
  'San Antonio': DEMO_TEAMS.austin,
  Houston: DEMO_TEAMS.dallas,
  Denver: DEMO_TEAMS.dallas,
};
const TEAMS = Object.values(DEMO_TEAMS);

export interface DemoStaff {
  id: string;
  email: string;
  name: string;
}

/**
 * One entry per demo user (by email): role, and membership with position. The sales manager manages both
 * regions (so every sales team, by subtree); reps, PM and field tech sit in a team.
 */
const PLACEMENT: Record<string, { role: string; unit?: string; position?: string }> = {
  'ava.admin@acme.example': { role: 'admin' },
  'marcus.sales@acme.example': { role: 'sales_manager', unit: unitId(1), position: 'manager' },
  'priya.rep@acme.example': { role: 'sales_rep', unit: DEMO_TEAMS.phoenix },
  'jordan.rep@acme.example': { role: 'sales_rep', unit: DEMO_TEAMS.austin },
  'sam.pm@acme.example': { role: 'project_manager', unit: DEMO_TEAMS.phoenix },
  'luis.field@acme.example': { role: 'field_tech', unit: DEMO_TEAMS.phoenix },
  'grace.support@acme.example': { role: 'support_agent' },
  'noah.analyst@acme.example': { role: 'analyst' },
};

/**
 * Seeds the org tree, the members (with their platform identity ids), memberships and role grants.
 * Insert-if-missing throughout; returns how many rows it wrote (0 on a second run).
 */
export async function seedDemoAccess(db: Knex, staff: readonly DemoStaff[]): Promise<number> {
  let written = 0;
  const paths = new Map<string, string>();
  for (const u of TREE) {
    const path = `${u.parent ? paths.get(u.parent)! : '/'}${u.id}/`;
    paths.set(u.id, path);
    if (await db('org_units').where({ id: u.id }).first('id')) continue;
    await db('org_units').insert({
      id: u.id,
      kind: u.kind,
      name: u.name,
      parent_id: u.parent,
      path,
      depth: path.split('/').length - 3,
    });
    written++;
  }
  for (const s of staff) {
    const place = PLACEMENT[s.email];
    if (!place) continue;
    const member = await db('members').where({ id: s.id }).first('id');
    if (!member) {
      await db('members').insert({ id: s.id, display_name: s.name, email: s.email, status: 'active' });
      written++;
    }
    if (
      place.unit &&
      !(await db('memberships').where({ member_id: s.id, unit_id: place.unit }).first('unit_id'))
    ) {
      await db('memberships').insert({
        member_id: s.id,
        unit_id: place.unit,
        position: place.position ?? 'member',
      });
      written++;
    }
    if (
      !(await db('role_grants')
        .where({ member_id: s.id, role_id: place.role })
        .whereNull('unit_id')
        .first('id'))
    ) {
      await db('role_grants').insert({ member_id: s.id, role_id: place.role, unit_id: null });
      written++;
    }
  }
  // cached permissions in a running runtime are recomputed on the next request
  if (written) await db('access_state').where({ id: 1 }).increment('version', 1);
  return written;
}

/** The team a demo lead belongs to: the owner's team for reps, else by city. */
export function demoLeadTeam(
  lead: { id: string; city: string; owner_id: string | null },
  staff: readonly DemoStaff[],
): string {
  const owner = staff.find((s) => s.id === lead.owner_id);
  const ownerTeam =
    owner && PLACEMENT[owner.email]?.role === 'sales_rep' ? PLACEMENT[owner.email]!.unit : undefined;
  if (ownerTeam) return ownerTeam;
  return CITY_TEAM[lead.city] ?? TEAMS[parseInt(lead.id.slice(-4), 16) % TEAMS.length]!;
}
