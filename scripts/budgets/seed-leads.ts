import type { Knex } from '@solar/common';
import { demoLeads } from '../demo/demo-leads.js';

/**
 * Fills a tenant with `count` leads (the demo generator's realistic rows, deterministic ids, so a second run
 * inserts nothing), each owned by a member and in that member's unit, as the API would have stored them.
 * Returns how many leads the tenant holds afterwards.
 */
export async function seedLeads(db: Knex, count: number): Promise<number> {
  const memberships = (await db('memberships').select('member_id', 'unit_id')) as {
    member_id: string;
    unit_id: string;
  }[];
  if (!memberships.length) throw new Error('the tenant has no members to own leads');
  const unitOf = new Map(memberships.map((m) => [m.member_id, m.unit_id]));
  const owners = [...unitOf.keys()];
  const leads = demoLeads(count, owners, Date.now(), 100_000);
  for (let i = 0; i < leads.length; i += 2000) {
    const batch = leads
      .slice(i, i + 2000)
      .map((l) => ({ ...l, unit_id: unitOf.get(l.owner_id ?? '') ?? null }));
    await db('leads').insert(batch).onConflict().ignore();
  }
  await db.raw('ANALYZE TABLE leads');
  const [row] = (await db('leads').count({ n: '*' })) as { n: number | string }[];
  return Number(row!.n);
}
