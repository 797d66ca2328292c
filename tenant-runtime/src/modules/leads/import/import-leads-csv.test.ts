import { PayloadTooLarge, ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../lead-csv.js';
import type { Lead } from '../lead-schema.js';
import { importLeadsCsv } from './import-leads-csv.js';

const HEADER =
  'First Name,Last Name,E-mail,Phone,Street Address,City,State,ZIP,Country,Lead Source,Monthly Bill,Notes,Favourite Colour';
const SOURCES = ['Web form', 'referral', 'DOOR_TO_DOOR', 'Paid ads', 'event'];

/** The ten ways a row goes wrong in real exports, and what the importer must say about each. */
const FAULTS: Array<{ apply: (cells: string[]) => void; errors: Record<string, string[]> }> = [
  { apply: (c) => (c[0] = '  '), errors: { firstName: ['Required'] } },
  { apply: (c) => (c[2] = 'not-an-email'), errors: { email: ['Must be a valid email address'] } },
  {
    apply: (c) => (c[3] = 'call me'),
    errors: { phone: ['Must be a phone number of 7 to 15 digits, e.g. +1 415 555 0100'] },
  },
  { apply: (c) => (c[9] = 'billboard'), errors: { source: ['Must be one of the lead sources'] } },
  { apply: (c) => (c[10] = 'lots'), errors: { monthlyBill: ['Must be a number, e.g. 185.50'] } },
  { apply: (c) => (c[10] = '"$250,000"'), errors: { monthlyBill: ['Must be at most 100000'] } },
  {
    apply: (c) => (c[8] = 'Atlantis'),
    errors: { country: ['Must be an ISO 3166-1 alpha-2 country code, e.g. US'] },
  },
  { apply: (c) => (c[1] = 'L'.repeat(101)), errors: { lastName: ['At most 100 characters'] } },
  { apply: (c) => c.push('surplus'), errors: { _row: ['Has 14 cells but the header has 13 columns'] } },
  { apply: (c) => (c[5] = '"Phoenix"x'), errors: { city: ['Text after the closing quote'] } },
];

/** 10,000 lead rows, every 199th from row 137 broken in one of ten ways; some notes span two lines. */
function generate() {
  const lines = [HEADER];
  const bad: Array<{ line: number; errors: Record<string, string[]> }> = [];
  let physical = 2;
  for (let i = 1; i <= 10_000; i++) {
    const notes =
      i % 500 === 0 ? '"Wants a battery,\nand an EV charger"' : i % 7 === 0 ? '"Said ""call after 5"""' : '';
    const cells = [
      `Ana${i}`,
      `Ruiz${i}`,
      `lead${i}@example.com`,
      `(480) ${String(2_000_000 + i).replace(/^(\d{3})/, '$1-')}`,
      `${i} W. Main Street`,
      'Phoenix',
      'AZ',
      '85004',
      i % 3 === 0 ? 'usa' : 'US',
      SOURCES[i % SOURCES.length]!,
      `$${100 + (i % 300)}.50`,
      notes,
      'blue',
    ];
    const k = i - 137;
    if (k >= 0 && k % 199 === 0 && k / 199 < 50) {
      const fault = FAULTS[(k / 199) % FAULTS.length]!;
      fault.apply(cells);
      bad.push({ line: physical, errors: fault.errors });
    }
    lines.push(cells.join(','));
    physical += notes.includes('\n') ? 2 : 1;
  }
  return { csv: `${lines.join('\r\n')}\r\n`, bad };
}

describe('importLeadsCsv — 10,000 rows with 50 bad ones', () => {
  it('accepts the 9,950 good rows and reports the 50 bad ones with their lines and messages', async () => {
    const { csv, bad } = generate();
    expect(bad).toHaveLength(50);
    const result = await importLeadsCsv(csv);

    expect(result.totalRows).toBe(10_000);
    expect(result.accepted).toHaveLength(9_950);
    expect(result.rejected).toEqual(bad);
    expect(result.duplicatesWithinFile).toEqual([]);
    expect(result.columns.unknown).toEqual(['Favourite Colour']);
    expect(result.columns.mapped).toMatchObject({
      firstName: 'First Name',
      email: 'E-mail',
      postalCode: 'ZIP',
    });

    // rows keep their file order and line numbers, and arrive in the createLead input shape
    expect(result.accepted[0]).toEqual({
      line: 2,
      input: {
        firstName: 'Ana1',
        lastName: 'Ruiz1',
        email: 'lead1@example.com',
        phone: '(480) 200-0001',
        company: null,
        street: '1 W. Main Street',
        city: 'Phoenix',
        region: 'AZ',
        postalCode: '85004',
        country: 'US',
        source: 'referral',
        monthlyBill: 101.5,
        notes: null,
      },
    });
    const row500 = result.accepted.find((r) => r.input.firstName === 'Ana500')!;
    expect(row500.input.notes).toBe('Wants a battery,\nand an EV charger');
    expect(result.accepted.find((r) => r.input.firstName === 'Ana7')!.input).toMatchObject({
      notes: 'Said "call after 5"',
      source: 'door_to_door',
    });
    expect(result.accepted.at(-1)!.line).toBe(10_001 + 19); // row 10,000 starts after 19 two-line notes
  });

  it('reads the file as a stream of byte chunks with the same result', async () => {
    const { csv } = generate();
    const bytes = new TextEncoder().encode(csv);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
    }
    const streamed = await importLeadsCsv(chunks());
    expect(streamed.accepted).toHaveLength(9_950);
    expect(streamed.rejected).toHaveLength(50);
  });
});

describe('importLeadsCsv — columns and values', () => {
  it('maps header spellings without regard to case or punctuation and reports what it ignored', async () => {
    const csv =
      'given name,SURNAME,Email Address,zip_code,Lead-Source,Comments,Email,Shoe size\nAna,Ruiz,ana@x.io,85004,Referral,hi,b@x.io,9\n';
    const result = await importLeadsCsv(csv);
    expect(result.columns).toEqual({
      mapped: {
        firstName: 'given name',
        lastName: 'SURNAME',
        email: 'Email Address',
        postalCode: 'zip_code',
        source: 'Lead-Source',
        notes: 'Comments',
      },
      unknown: ['Shoe size'],
      repeated: ['Email'],
    });
    expect(result.accepted[0]!.input).toMatchObject({
      email: 'ana@x.io',
      postalCode: '85004',
      source: 'referral',
      notes: 'hi',
    });
  });

  it('reads sources and countries in any case and bills written as money', async () => {
    const csv = [
      'first,last,source,country,bill',
      'A,One,WEB FORM,usa,"$1,234.50"',
      'B,Two,d2d,ca,99',
      'C,Three,Paid_Ads,,',
    ].join('\n');
    const { accepted, rejected } = await importLeadsCsv(csv);
    expect(rejected).toEqual([]);
    expect(accepted.map((r) => [r.input.source, r.input.country, r.input.monthlyBill])).toEqual([
      ['web_form', 'US', 1234.5],
      ['door_to_door', 'CA', 99],
      ['paid_ads', 'US', null],
    ]);
  });

  it('re-imports its own CSV export, formula guard and all', async () => {
    const lead: Lead = {
      id: '0b6f8c1e-8f5e-4d4b-9d7c-2a9b1f6e3c11',
      firstName: '=Eve',
      lastName: "O'Neil",
      fullName: "=Eve O'Neil",
      email: 'eve@example.com',
      phone: '+1 415 555 0100',
      company: 'Neil, Inc.',
      street: '1 "Sunny" Way,\r\nBack house',
      city: 'San Jose',
      region: 'CA',
      postalCode: '95112',
      country: 'US',
      source: 'partner',
      status: 'qualified',
      monthlyBill: 210.25,
      notes: 'not exported',
      ownerId: null,
      unitId: null,
      createdAt: new Date('2025-05-01T00:00:00Z'),
      updatedAt: new Date('2025-05-01T00:00:00Z'),
    };
    const result = await importLeadsCsv(toCsv([lead]));
    expect(result.rejected).toEqual([]);
    expect(result.columns.unknown).toEqual(['id', 'status', 'owner_id', 'unit_id', 'created_at']);
    expect(result.accepted[0]!.input).toEqual({
      firstName: '=Eve',
      lastName: "O'Neil",
      email: 'eve@example.com',
      phone: '+1 415 555 0100',
      company: 'Neil, Inc.',
      street: '1 "Sunny" Way,\r\nBack house',
      city: 'San Jose',
      region: 'CA',
      postalCode: '95112',
      country: 'US',
      source: 'partner',
      monthlyBill: 210.25,
      notes: null, // the export has no notes column
    });
  });

  it('uses the default source for files and rows without one', async () => {
    const result = await importLeadsCsv('first,last,source\nA,One,\nB,Two,event\n', {
      defaultSource: 'event',
    });
    expect(result.accepted.map((r) => r.input.source)).toEqual(['event', 'event']);
    const noColumn = await importLeadsCsv('first,last\nA,One\n', { defaultSource: 'phone' });
    expect(noColumn.accepted[0]!.input.source).toBe('phone');
  });
});

describe('importLeadsCsv — duplicates and whole-file failures', () => {
  const csv = [
    'first,last,email,phone,source',
    'Jane,Doe,jane.doe@gmail.com,,web_form',
    'Jane,Doe,JaneDoe+solar@gmail.com,,web_form',
    'John,Doe,john@doe.family,602 555 0142,referral',
    'Johnny,Doe,,+1 (602) 555-0142,referral',
  ].join('\n');

  it('reports rows repeating an earlier email or phone and leaves them out', async () => {
    const result = await importLeadsCsv(csv);
    expect(result.accepted.map((r) => r.line)).toEqual([2, 4]);
    expect(result.duplicatesWithinFile).toEqual([
      { line: 3, duplicateOfLine: 2, matchedOn: ['email'] },
      { line: 5, duplicateOfLine: 4, matchedOn: ['phone'] },
    ]);
  });

  it('keeps them when asked, still reporting them', async () => {
    const result = await importLeadsCsv(csv, { duplicatesWithinFile: 'keep' });
    expect(result.accepted).toHaveLength(4);
    expect(result.duplicatesWithinFile).toHaveLength(2);
  });

  it('refuses a file without the columns every lead needs', async () => {
    await expect(importLeadsCsv('first,email\nA,a@x.io\n')).rejects.toMatchObject({
      fields: { file: ['Missing columns: Last name, Source'] },
    });
    await expect(importLeadsCsv('')).rejects.toThrow(ValidationFailed);
  });

  it('refuses, as a whole, a file over the row limit', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => `A${i},B,web_form`);
    await expect(importLeadsCsv(['first,last,source', ...rows].join('\n'), { maxRows: 10 })).rejects.toThrow(
      PayloadTooLarge,
    );
    expect(
      (await importLeadsCsv(['first,last,source', ...rows.slice(1)].join('\n'), { maxRows: 10 })).accepted,
    ).toHaveLength(10);
  });

  it('rejects bad options with field paths', async () => {
    await expect(
      importLeadsCsv('first,last\n', { maxRows: -1, defaultSource: 'fax' as never }),
    ).rejects.toMatchObject({
      fields: { 'options.maxRows': expect.any(Array), 'options.defaultSource': expect.any(Array) },
    });
  });
});
