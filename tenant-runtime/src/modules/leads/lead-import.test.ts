import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';
import { buildSalesOrg, PEOPLE, type SalesOrg } from './lead-test-org.js';

const IMPORT = `mutation($csv: String!, $options: ImportLeadsOptions) {
  importLeads(csv: $csv, options: $options) {
    importedCount totalRows unknownColumns
    rejected { line errors { field messages } }
    duplicatesWithinFile { line duplicateOfLine matchedOn }
  }
}`;
const HEADER =
  'First Name,Last Name,Email,Phone,Street Address,City,State,ZIP,Lead Source,Monthly Bill,Notes';

/** `n` lead rows; `bad` maps a row number (1-based) to how that row is broken. */
function csvOf(n: number, prefix: string, bad: Map<number, (cells: string[]) => void> = new Map()) {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) {
    const cells = [
      `${prefix}${i}`,
      'Import',
      `${prefix.toLowerCase()}${i}@example.com`,
      `(480) ${String(2_000_000 + i).replace(/^(\d{3})/, '$1-')}`,
      `${i} W. Main Street`,
      'Phoenix',
      'AZ',
      '85004',
      i % 2 ? 'Referral' : 'Web form',
      `$${100 + (i % 300)}.50`,
      i % 7 === 0 ? '"Said ""call after 5"""' : '',
    ];
    bad.get(i)?.(cells);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

let rt: TestRuntime;
let org: SalesOrg;
const count = async (where: Record<string, unknown> = {}) =>
  Number(((await org.tenant.db('leads').where(where).count({ n: '*' }).first()) as { n: number }).n);
const countLike = async (prefix: string) =>
  Number(
    (
      (await org.tenant.db('leads').where('first_name', 'like', `${prefix}%`).count({ n: '*' }).first()) as {
        n: number;
      }
    ).n,
  );

beforeAll(async () => {
  rt = await startTestRuntime();
  org = await buildSalesOrg(rt);
});
afterAll(async () => {
  await rt?.close();
});

describe('CSV import', () => {
  it('imports 9,950 of 10,000 rows and reports the 50 bad ones by line, all scored and keyed', async () => {
    const faults: Array<[(c: string[]) => void, string]> = [
      [(c) => (c[0] = ''), 'firstName'],
      [(c) => (c[2] = 'not-an-email'), 'email'],
      [(c) => (c[3] = 'call me'), 'phone'],
      [(c) => (c[8] = 'billboard'), 'source'],
      [(c) => (c[9] = 'lots'), 'monthlyBill'],
    ];
    const bad = new Map<number, (c: string[]) => void>();
    const expected: Array<{ line: number; field: string }> = [];
    for (let k = 0; k < 50; k++) {
      const row = 100 + k * 197;
      const [apply, field] = faults[k % faults.length]!;
      bad.set(row, apply);
      expected.push({ line: row + 1, field }); // line 1 is the header
    }
    const csv = csvOf(10_000, 'Bulk', bad);
    expect(csv.length).toBeGreaterThan(1024 * 1024); // over the old 1 MiB body limit

    const res = await org.gql('admin', IMPORT, { csv });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const out = res.data.importLeads;
    expect(out).toMatchObject({ importedCount: 9_950, totalRows: 10_000, duplicatesWithinFile: [] });
    expect(out.rejected).toHaveLength(50);
    expect(
      out.rejected.map((r: { line: number; errors: Array<{ field: string }> }) => ({
        line: r.line,
        field: r.errors[0]!.field,
      })),
    ).toEqual(expected);
    expect(out.rejected[1].errors).toEqual([{ field: 'email', messages: ['Must be a valid email address'] }]);

    expect(await countLike('Bulk')).toBe(9_950);
    expect(
      await org.tenant.db('leads').where('first_name', 'like', 'Bulk%').whereNull('score').first('id'),
    ).toBeUndefined();
    expect(await org.tenant.db('leads').where({ first_name: 'Bulk1' }).first()).toMatchObject({
      owner_id: PEOPLE.admin,
      score: 25, // referral 20 + bill $100–$150 5; nothing else known yet
      grade: 'D',
      created_by: PEOPLE.admin,
    });
    const keys = (await org.tenant
      .db('lead_match_keys as k')
      .join('leads as l', 'l.id', 'k.lead_id')
      .where('l.first_name', 'like', 'Bulk%')
      .count({ n: '*' })
      .first()) as { n: number };
    expect(Number(keys.n)).toBe(9_950 * 3); // email, phone, address each
  }, 120_000);

  it('imports nothing when the transaction fails part-way', async () => {
    const before = await count();
    // the database refuses one row in the middle of the file (a real failure, not a stub)
    await org.tenant.db.raw(
      `CREATE TRIGGER refuse_boom BEFORE INSERT ON leads FOR EACH ROW
       IF NEW.first_name = 'Boom600' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full'; END IF`,
    );
    try {
      const res = await org.gql('admin', IMPORT, { csv: csvOf(1_000, 'Boom') });
      expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(res.errors[0].message).not.toMatch(/disk full/);
    } finally {
      await org.tenant.db.raw('DROP TRIGGER refuse_boom');
    }
    expect(await countLike('Boom')).toBe(0);
    expect(await count()).toBe(before);
    const keys = await org.tenant.db('lead_match_keys').where('value', 'like', 'boom%').first();
    expect(keys).toBeUndefined();
  });

  it('refuses a file it cannot read as a whole, writing nothing', async () => {
    const before = await count();
    const res = await org.gql('admin', IMPORT, { csv: 'Name,Email\nAda,ada@example.com\n' });
    expect(res.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(res.errors[0].extensions.fields).toEqual({
      file: ['Missing columns: First name, Last name, Source'],
    });
    expect(await count()).toBe(before);
    expect(await org.code('analyst', IMPORT, { csv: csvOf(2, 'Nope') })).toBe('FORBIDDEN');
  });

  it('reports repeats within the file and skips them by default', async () => {
    const csv = csvOf(3, 'Rep', new Map([[3, (c: string[]) => (c[2] = 'rep1@example.com')]]));
    const out = (await org.ok('admin', IMPORT, { csv })).importLeads;
    expect(out.importedCount).toBe(2);
    expect(out.duplicatesWithinFile).toEqual([{ line: 4, duplicateOfLine: 2, matchedOn: ['EMAIL'] }]);
  });

  it('a rep importing with assignment rules assigns only within their scope, with the reason', async () => {
    await org.setRules({ assignmentRules: { strategy: 'round_robin' } });
    const out = (
      await org.ok('rep1', IMPORT, { csv: csvOf(20, 'Scoped'), options: { defaultSource: 'EVENT' } })
    ).importLeads;
    expect(out.importedCount).toBe(20);
    const rows = await org.tenant
      .db('leads')
      .where('first_name', 'like', 'Scoped%')
      .select('owner_id', 'unit_id', 'assignment_strategy', 'assignment_reason');
    expect(rows).toHaveLength(20);
    const owners = rows.map((r) => r.owner_id as string);
    expect(new Set(owners)).toEqual(new Set([PEOPLE.rep1, PEOPLE.rep1b]));
    expect(owners.filter((o) => o === PEOPLE.rep1)).toHaveLength(10); // turns, not all to one rep
    expect(rows.every((r) => r.unit_id === org.units.phxA && r.assignment_strategy === 'round_robin')).toBe(
      true,
    );
    expect(rows.every((r) => String(r.assignment_reason).startsWith('Round-robin across all reps: '))).toBe(
      true,
    );

    // rules that point at another team leave every row with the rep
    await org.setRules({ assignmentRules: { strategy: 'load', pool: { unitId: org.units.tucA } } });
    await org.ok('rep1', IMPORT, { csv: csvOf(5, 'Kept') });
    const kept = await org.tenant.db('leads').where('first_name', 'like', 'Kept%').select('owner_id');
    expect(kept.map((r) => r.owner_id)).toEqual(Array(5).fill(PEOPLE.rep1));
    await org.setRules({ assignmentRules: null });
  });
});
