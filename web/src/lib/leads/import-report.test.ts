import { describe, expect, it } from 'vitest';
import { importHeadline, rejectedLines, type ImportReport } from './import-report.js';

const report: ImportReport = {
  importedCount: 3,
  totalRows: 5,
  unknownColumns: [],
  rejected: [
    { line: 6, errors: [{ field: 'source', messages: ['Must be one of the lead sources'] }] },
    {
      line: 3,
      errors: [
        { field: 'email', messages: ['Must be an email address'] },
        { field: 'lastName', messages: ['Required'] },
      ],
    },
  ],
  duplicatesWithinFile: [],
};

describe('the import report', () => {
  it('says how many rows came in and how many were rejected', () => {
    expect(importHeadline(report)).toBe('Imported 3 of 5 rows; 2 rows rejected.');
    expect(importHeadline({ ...report, importedCount: 0, totalRows: 0, rejected: [] })).toBe(
      'The file has no lead rows.',
    );
  });

  it('lists rejected rows by line, in file order, with every field problem', () => {
    expect(rejectedLines(report)).toEqual([
      'Line 3: email: Must be an email address; lastName: Required',
      'Line 6: source: Must be one of the lead sources',
    ]);
  });
});
