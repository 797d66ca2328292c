import type { Knex } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';

const YEAR_MS = 365 * 86_400_000;
const STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted'];

/**
 * `count` leads spread over the last year (time-ordered ids, as the API makes them), each owned by one of
 * `owners` and in that owner's team, inserted 2,000 at a time straight into the tenant's schema. The
 * benchmarks' common ground: the same rows whether scoping or the sales list is measured.
 */
export async function insertBenchLeads(
  db: Knex,
  count: number,
  owners: ReadonlyArray<{ id: string; team: string }>,
  extra: (j: number, createdAt: number) => Record<string, unknown> = () => ({}),
): Promise<void> {
  const started = Date.now() - YEAR_MS;
  for (let i = 0; i < count; i += 2000) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 2000); j++) {
      const owner = owners[(j * 7919) % owners.length]!;
      const at = started + Math.floor((j / count) * YEAR_MS);
      batch.push({
        id: uuidv7({ msecs: at }),
        first_name: `First${j}`,
        last_name: `Last${j % 997}`,
        email: `lead${j}@example.com`,
        city: 'Phoenix',
        country: 'US',
        source: 'web_form',
        status: STATUSES[j % 5],
        owner_id: owner.id,
        created_by: owner.id,
        unit_id: owner.team,
        created_at: new Date(at),
        updated_at: new Date(at),
        ...extra(j, at),
      });
    }
    await db('leads').insert(batch);
  }
}
