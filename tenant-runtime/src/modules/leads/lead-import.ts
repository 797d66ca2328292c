import { Forbidden, ValidationFailed, type FieldErrors } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { isEmptyScope } from '../../engine/data/scope.js';
import { loadLeadSettings } from '../settings/lead-settings.js';
import type { MatchKey } from './dedupe/match-keys.js';
import { csvImportOptionsSchema, importLeadsCsv, type DuplicateRow } from './import/import-leads-csv.js';
import { createPlacer } from './lead-placement.js';
import { leadRepository } from './lead-repository.js';
import { captureLead } from './lead-service.js';

const importArgsSchema = z.object({
  csv: z.string().min(1, 'The file is empty; it needs a header row and lead rows'),
  options: csvImportOptionsSchema
    .pick({ defaultSource: true, defaultCountry: true, duplicatesWithinFile: true })
    .nullish()
    .transform((o) => o ?? {}),
});

export interface ImportOutcome {
  importedCount: number;
  totalRows: number;
  rejected: Array<{ line: number; errors: Array<{ field: string; messages: string[] }> }>;
  duplicatesWithinFile: DuplicateRow[];
  unknownColumns: string[];
}

/**
 * Imports a lead CSV. Every row is validated first (importLeadsCsv); the rejected rows are reported with their
 * line and field-level messages and the rest are written in ONE transaction through the data-access layer,
 * each scored, placed by the assignment rules within the caller's scope and keyed for de-duplication, so a
 * failure anywhere (the database, a scope refusal) leaves nothing imported. A file-level problem (missing
 * column, too many rows, unclosed quote) is a VALIDATION_FAILED / PAYLOAD_TOO_LARGE with nothing written.
 */
export async function importLeads(rc: RequestContext, rawArgs: unknown): Promise<ImportOutcome> {
  if (isEmptyScope(rc.actor.scope('leads', 'create'))) throw new Forbidden('You may not create leads');
  const parsed = importArgsSchema.safeParse(rawArgs);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { csv, options } = parsed.data;
  const file = await importLeadsCsv(csv, options);

  await rc.data.transaction(async (data, trx) => {
    const settings = await loadLeadSettings(data);
    const placer = await createPlacer(data, trx, settings.assignmentRules);
    const repo = leadRepository(data);
    const keys: Array<{ leadId: string } & MatchKey> = [];
    for (const row of file.accepted) {
      const id = uuidv7();
      const written = await captureLead(repo, placer, data, {
        id,
        input: row.input,
        rules: settings.scoringRules,
        actorId: rc.caller.userId,
        readBack: false,
      });
      for (const k of written.keys) keys.push({ leadId: id, ...k });
    }
    await repo.insertMatchKeys(keys);
    await placer.saveCursors();
  });

  rc.log.info(
    { imported: file.accepted.length, rejected: file.rejected.length, rows: file.totalRows },
    'leads imported',
  );
  return {
    importedCount: file.accepted.length,
    totalRows: file.totalRows,
    rejected: file.rejected.map((r) => ({ line: r.line, errors: fieldErrorList(r.errors) })),
    duplicatesWithinFile: file.duplicatesWithinFile,
    unknownColumns: file.columns.unknown,
  };
}

function fieldErrorList(errors: FieldErrors): Array<{ field: string; messages: string[] }> {
  return Object.entries(errors).map(([field, messages]) => ({ field, messages }));
}
