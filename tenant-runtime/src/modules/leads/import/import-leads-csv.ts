import { PayloadTooLarge, ValidationFailed, zodFieldErrors, type FieldErrors } from '@solar/common';
import { z } from 'zod';
import { countryCode } from '../../../engine/validation/fields.js';
import { matchKeys, type MatchKeyKind } from '../dedupe/match-keys.js';
import { createLeadInputSchema, LEAD_SOURCES, type CreateLeadInput } from '../lead-schema.js';
import { parseCsv, type CsvSource } from './csv-parser.js';
import { fieldLabel, mapHeader, type HeaderMapping, type ImportField } from './header-mapping.js';
import { rowToLeadInput } from './row-to-lead-input.js';

export const csvImportOptionsSchema = z.object({
  /** data rows, header excluded; more fails the whole file (nothing half-imported) */
  maxRows: z.number().int().positive().max(200_000).default(50_000),
  maxBytes: z
    .number()
    .int()
    .positive()
    .max(100 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** longest cell; notes are the longest lead field (10,000) */
  maxFieldLength: z.number().int().positive().max(100_000).default(10_000),
  /** for rows (or files) without a source */
  defaultSource: z.enum(LEAD_SOURCES).optional(),
  /** for rows without a country; the schema's own default is US */
  defaultCountry: countryCode.optional(),
  /** a row repeating an earlier row's email or phone: left out of `accepted` (skip), or imported anyway (keep) */
  duplicatesWithinFile: z.enum(['skip', 'keep']).default('skip'),
});
export type CsvImportOptions = z.input<typeof csvImportOptionsSchema>;

export interface AcceptedRow {
  line: number;
  input: CreateLeadInput;
}
export interface RejectedRow {
  line: number;
  /** field → messages; "_row" for problems with the row as a whole */
  errors: FieldErrors;
}
export interface DuplicateRow {
  line: number;
  duplicateOfLine: number;
  matchedOn: MatchKeyKind[];
}

export interface CsvImportResult {
  /** valid rows, in file order, ready to insert in one transaction */
  accepted: AcceptedRow[];
  rejected: RejectedRow[];
  duplicatesWithinFile: DuplicateRow[];
  columns: Pick<HeaderMapping, 'mapped' | 'unknown' | 'repeated'>;
  /** data rows read (blank lines not counted) */
  totalRows: number;
}

const REQUIRED_COLUMNS: ImportField[] = ['firstName', 'lastName'];

/**
 * Reads a lead CSV and validates every row with the createLead schema. Bad rows are reported with their
 * line and field-level messages and do not stop the others; problems with the file itself (no header, a
 * missing required column, over the size or row limits, an unclosed quote) throw, so nothing is imported.
 */
export async function importLeadsCsv(
  source: CsvSource,
  rawOptions: CsvImportOptions = {},
): Promise<CsvImportResult> {
  const parsedOptions = csvImportOptionsSchema.safeParse(rawOptions);
  if (!parsedOptions.success) throw ValidationFailed.fromZod(parsedOptions.error, ['options']);
  const options = parsedOptions.data;

  const result: CsvImportResult = {
    accepted: [],
    rejected: [],
    duplicatesWithinFile: [],
    columns: { mapped: {}, unknown: [], repeated: [] },
    totalRows: 0,
  };
  let mapping: HeaderMapping | null = null;
  const seen = new Map<string, number>(); // "email:…" / "phone:…" → first line

  const records = parseCsv(source, {
    maxBytes: options.maxBytes,
    maxFieldLength: options.maxFieldLength,
    maxFields: 200,
  });
  for await (const record of records) {
    if (!mapping) {
      mapping = mapHeader(record.fields);
      checkHeader(mapping, options.defaultSource !== undefined);
      result.columns = { mapped: mapping.mapped, unknown: mapping.unknown, repeated: mapping.repeated };
      continue;
    }
    if (++result.totalRows > options.maxRows)
      throw new PayloadTooLarge(
        `The file has more than ${options.maxRows} rows; split it into smaller files`,
      );

    const rowErrors: FieldErrors = {};
    const cells: Partial<Record<ImportField, string>> = {};
    mapping.columns.forEach((field, i) => {
      if (field) cells[field] = record.fields[i] ?? '';
    });
    for (const p of record.problems) {
      const field = mapping.columns[p.column];
      (rowErrors[field ?? '_row'] ??= []).push(field ? p.message : `Column ${p.column + 1}: ${p.message}`);
    }
    if (record.fields.length > mapping.columns.length)
      (rowErrors._row ??= []).push(
        `Has ${record.fields.length} cells but the header has ${mapping.columns.length} columns`,
      );

    const { input, errors: textErrors } = rowToLeadInput(cells, {
      source: options.defaultSource,
      country: options.defaultCountry,
    });
    const parsed = createLeadInputSchema.safeParse(input);
    const errors = merge(parsed.success ? {} : zodFieldErrors(parsed.error), textErrors, rowErrors);
    if (!parsed.success || Object.keys(errors).length > 0) {
      result.rejected.push({ line: record.line, errors });
      continue;
    }

    const keys = matchKeys(parsed.data)
      .filter((k) => k.kind !== 'address') // one household, many people: an address alone is no duplicate
      .map((k) => [k.kind, `${k.kind}:${k.value}`] as const);
    const earlier = keys.map(([, k]) => seen.get(k)).find((l) => l !== undefined);
    if (earlier !== undefined) {
      const matchedOn = keys.filter(([, k]) => seen.get(k) === earlier).map(([kind]) => kind);
      result.duplicatesWithinFile.push({ line: record.line, duplicateOfLine: earlier, matchedOn });
      if (options.duplicatesWithinFile === 'skip') continue;
    }
    for (const [, k] of keys) if (!seen.has(k)) seen.set(k, record.line);
    result.accepted.push({ line: record.line, input: parsed.data });
  }
  if (!mapping)
    throw new ValidationFailed({ file: ['The file is empty; it needs a header row and lead rows'] });
  return result;
}

function checkHeader(mapping: HeaderMapping, hasDefaultSource: boolean): void {
  const missing = REQUIRED_COLUMNS.filter((f) => mapping.mapped[f] === undefined);
  if (!hasDefaultSource && mapping.mapped.source === undefined) missing.push('source');
  if (missing.length === 0) return;
  throw new ValidationFailed(
    { file: [`Missing column${missing.length > 1 ? 's' : ''}: ${missing.map(fieldLabel).join(', ')}`] },
    'The file cannot be imported',
  );
}

function merge(...all: FieldErrors[]): FieldErrors {
  const out: FieldErrors = {};
  for (const errors of all)
    for (const [field, messages] of Object.entries(errors)) (out[field] ??= []).push(...messages);
  return out;
}
