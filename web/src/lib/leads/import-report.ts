/** The answer of importLeads, and how the import dialog words it. */
export interface ImportReport {
  importedCount: number;
  totalRows: number;
  unknownColumns: string[];
  rejected: { line: number; errors: { field: string; messages: string[] }[] }[];
  duplicatesWithinFile: { line: number; duplicateOfLine: number; matchedOn: string[] }[];
}

/** The CSV files we accept: a lead file is text and small (the API also refuses a too-large file). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export function importHeadline(r: ImportReport): string {
  const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
  if (r.importedCount === 0 && r.rejected.length === 0) return 'The file has no lead rows.';
  const parts = [`Imported ${r.importedCount.toLocaleString('en-US')} of ${rows(r.totalRows)}`];
  if (r.rejected.length) parts.push(`${rows(r.rejected.length)} rejected`);
  if (r.duplicatesWithinFile.length)
    parts.push(`${rows(r.duplicatesWithinFile.length)} repeated in the file`);
  return `${parts.join('; ')}.`;
}

/** One line per rejected row, in file order: "Line 4: email: Must be an email address". */
export function rejectedLines(r: ImportReport): string[] {
  return [...r.rejected]
    .sort((a, b) => a.line - b.line)
    .map(
      (row) =>
        `Line ${row.line}: ${row.errors.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ')}`,
    );
}
