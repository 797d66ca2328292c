import { PayloadTooLarge, ValidationFailed } from '@solar/common';

/*
 * A streaming RFC 4180 reader (no CSV library is installed): comma-separated, fields optionally in double
 * quotes, "" for a quote inside quotes, line breaks inside quotes kept, records ended by CRLF, LF or CR, a
 * UTF-8 byte-order mark skipped. Lenient where spreadsheets are sloppy (a stray quote inside an unquoted
 * field is kept as text); strict where data would be lost (an unclosed quote fails the whole file).
 */

export type CsvSource = string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

export interface CsvRecord {
  /** physical line (1-based) the record starts on, as a text editor shows it */
  line: number;
  fields: string[];
  /** problems with this record alone (the caller rejects it and carries on), with the column index */
  problems: Array<{ column: number; message: string }>;
}

export interface CsvParseLimits {
  maxBytes: number;
  maxFieldLength: number;
  maxFields: number;
}

const DEFAULT_LIMITS: CsvParseLimits = { maxBytes: 20 * 1024 * 1024, maxFieldLength: 10_000, maxFields: 200 };

export async function* parseCsv(
  source: CsvSource,
  limits: Partial<CsvParseLimits> = {},
): AsyncGenerator<CsvRecord> {
  const { maxBytes, maxFieldLength, maxFields } = { ...DEFAULT_LIMITS, ...limits };
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let bytes = 0;
  let first = true;

  let line = 1; // current physical line
  let recordLine = 1;
  let fields: string[] = [];
  let problems: CsvRecord['problems'] = [];
  let field = '';
  let fieldTooLong = false;
  let quoted = false; // the current field started with a quote
  let inQuotes = false;
  let quotePending = false; // saw a quote inside quotes: end of quotes, or the first of ""
  let afterCr = false; // the previous char was a CR that ended a line (an LF right after belongs to it)
  let recordHasContent = false;
  let crInQuotes = false;

  const append = (s: string) => {
    if (fieldTooLong) return;
    if (field.length + s.length > maxFieldLength) {
      fieldTooLong = true;
      problems.push({ column: fields.length, message: `At most ${maxFieldLength} characters` });
      field += s.slice(0, maxFieldLength - field.length);
      return;
    }
    field += s;
  };
  const endField = () => {
    if (fields.length < maxFields) fields.push(field);
    else if (fields.length === maxFields && !problems.some((p) => p.message.startsWith('More than')))
      problems.push({ column: maxFields, message: `More than ${maxFields} columns` });
    field = '';
    fieldTooLong = false;
    quoted = false;
  };
  const endRecord = (): CsvRecord | null => {
    endField();
    const record = { line: recordLine, fields, problems };
    // a blank line is no record
    const blank = !recordHasContent && fields.length === 1 && fields[0] === '';
    fields = [];
    problems = [];
    recordHasContent = false;
    return blank ? null : record;
  };

  for await (const chunk of typeof source === 'string' ? [source] : source) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (bytes > maxBytes) throw new PayloadTooLarge(`The file is larger than ${maxBytes} bytes`);
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }

    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (afterCr) {
        afterCr = false;
        if (ch === '\n') continue;
      }
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (ch === '"') {
            append('"');
            continue;
          }
          inQuotes = false; // the quote closed the field; fall through to handle ch outside quotes
        } else if (ch === '"') {
          quotePending = true;
          continue;
        } else {
          // CRLF inside quotes is one line break, even when a chunk ends between the two
          if (ch === '\r' || (ch === '\n' && !crInQuotes)) line++;
          crInQuotes = ch === '\r';
          append(ch);
          continue;
        }
      }
      if (ch === ',') {
        endField();
        recordHasContent = true;
      } else if (ch === '\n' || ch === '\r') {
        const record = endRecord();
        if (record) yield record;
        line++;
        recordLine = line;
        afterCr = ch === '\r';
      } else if (ch === '"' && field.length === 0 && !quoted) {
        quoted = true;
        inQuotes = true;
        crInQuotes = false;
        recordHasContent = true;
      } else if (quoted && (ch === ' ' || ch === '\t')) {
        // padding after a closing quote, as some exporters write: ignored
      } else {
        if (quoted && !problems.some((p) => p.column === fields.length))
          problems.push({ column: fields.length, message: 'Text after the closing quote' });
        recordHasContent = true;
        append(ch);
      }
    }
  }
  const tail = decoder.decode();
  if (tail) append(tail);
  if (inQuotes && !quotePending)
    throw new ValidationFailed({ file: [`Line ${recordLine}: a quoted field is never closed`] });
  if (fields.length > 0 || field.length > 0 || quoted) {
    const record = endRecord();
    if (record) yield record;
  }
}
