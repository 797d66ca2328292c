import { PayloadTooLarge, ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { parseCsv, type CsvParseLimits, type CsvSource } from './csv-parser.js';

async function read(source: CsvSource, limits: Partial<CsvParseLimits> = {}) {
  const out = [];
  for await (const r of parseCsv(source, limits)) out.push(r);
  return out;
}
const rows = async (source: CsvSource) => (await read(source)).map((r) => r.fields);

/** The same text fed in pieces of `size` bytes, so every boundary case crosses a chunk edge somewhere. */
function* bytesIn(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('parseCsv — RFC 4180', () => {
  it('reads plain, quoted and empty fields', async () => {
    expect(await rows('a,b,c\n1,"two, too",\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, too', ''],
    ]);
  });

  it('turns "" inside quotes into one quote', async () => {
    expect(await rows('"She said ""hi""","""quoted"""\n')).toEqual([['She said "hi"', '"quoted"']]);
  });

  it('accepts CRLF, LF and CR line ends, and a last line without one', async () => {
    expect(await rows('a,b\r\n1,2\n3,4\r5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('skips a UTF-8 byte-order mark, as Excel writes one', async () => {
    expect(await rows('\uFEFFfirst_name\nJosé\n')).toEqual([['first_name'], ['José']]);
    expect(await rows(bytesIn('\uFEFFfirst_name\nJosé\n', 1))).toEqual([['first_name'], ['José']]);
  });

  it('keeps line breaks inside quotes and reports the line each record starts on', async () => {
    const records = await read('name,notes\r\nAna,"line one\r\nline two\nline three"\r\nBo,x\r\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['name', 'notes']],
      [2, ['Ana', 'line one\r\nline two\nline three']],
      [5, ['Bo', 'x']],
    ]);
  });

  it('gives the same records whatever the chunk size, even when a multi-byte character or CRLF is split', async () => {
    const text = 'name,notes\r\n"Zoë","a ""b""\r\nc"\r\nÅsa,€5\r\n';
    const expected = await read(text);
    for (const size of [1, 2, 3, 7]) expect(await read(bytesIn(text, size))).toEqual(expected);
    expect(expected.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('skips blank lines but keeps a row of empty cells', async () => {
    expect(await rows('a,b\n\n,\n\r\n""\n')).toEqual([['a', 'b'], ['', ''], ['']]);
  });

  it('flags text after a closing quote on that record only', async () => {
    const records = await read('a,b\n"x"y,2\n3,4\n');
    expect(records[1]).toEqual({
      line: 2,
      fields: ['xy', '2'],
      problems: [{ column: 0, message: 'Text after the closing quote' }],
    });
    expect(records[2]!.problems).toEqual([]);
    // a quote inside an unquoted field is kept as text, as spreadsheets write 12" pipe
    expect(await rows('12" pipe,ok\n')).toEqual([['12" pipe', 'ok']]);
  });

  it('fails the whole file on a quote that never closes', async () => {
    await expect(read('a,b\n1,"open\n2,3\n')).rejects.toThrow(ValidationFailed);
    await expect(read('a,b\n1,"open\n2,3\n')).rejects.toMatchObject({
      fields: { file: ['Line 2: a quoted field is never closed'] },
    });
  });

  it('enforces the byte, cell-length and column limits', async () => {
    await expect(read('a,b\n1,2\n', { maxBytes: 5 })).rejects.toThrow(PayloadTooLarge);
    const [long] = await read(`${'x'.repeat(30)},ok\n`, { maxFieldLength: 10 });
    expect(long).toEqual({
      line: 1,
      fields: ['x'.repeat(10), 'ok'],
      problems: [{ column: 0, message: 'At most 10 characters' }],
    });
    const [wide] = await read('1,2,3,4\n', { maxFields: 2 });
    expect(wide).toEqual({
      line: 1,
      fields: ['1', '2'],
      problems: [{ column: 2, message: 'More than 2 columns' }],
    });
  });
});
