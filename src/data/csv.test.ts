import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../core/errors.js';
import { detectDelimiter, openCsv, parseCsv } from './csv.js';
import { collectTable } from './table.js';

test('quoted fields keep embedded delimiters, doubled quotes and newlines', async () => {
  const t = await parseCsv('id,text,n\n1,"a, b",2\n2,"say ""hi""",3\n3,"two\nlines",4\n');
  assert.deepEqual(t.header, ['id', 'text', 'n']);
  assert.deepEqual(t.rows, [
    ['1', 'a, b', '2'],
    ['2', 'say "hi"', '3'],
    ['3', 'two\nlines', '4'],
  ]);
});

test('the delimiter is detected from the header line', async () => {
  assert.deepEqual((await parseCsv('a;b;c\n1,5;2;3\n')).rows, [['1,5', '2', '3']]);
  assert.deepEqual((await parseCsv('a\tb\n1\t2\n')).rows, [['1', '2']]);
  assert.deepEqual((await parseCsv('a|b\n1|2\n')).rows, [['1', '2']]);
  // A quoted header name holding commas does not outvote the real delimiter.
  assert.equal(detectDelimiter('"x,y,z";b;c'), ';');
  assert.equal(detectDelimiter('single'), ',');
});

test('an explicit delimiter wins, and \\t spelled out means tab', async () => {
  assert.deepEqual((await parseCsv('a;b,c\n1;2,3\n', { delimiter: ',' })).header, ['a;b', 'c']);
  assert.deepEqual((await parseCsv('a\tb\n1\t2\n', { delimiter: '\\t' })).rows, [['1', '2']]);
  await assert.rejects(parseCsv('a,b\n1,2\n', { delimiter: ';;' }), OptionsError);
});

test('a BOM, CRLF line ends, header padding and trailing empty lines are tolerated', async () => {
  const t = await parseCsv('\uFEFF a ,b\r\n1,2\r\n\r\n\n');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.rows, [['1', '2']]);
});

test('input split at awkward places (inside quotes, inside a UTF-8 character) parses the same', async () => {
  const text = 'name;note\n"Zoë";"a;b\n""c"""\nÅsa;ok\n';
  const bytes = Buffer.from(text);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 3) pieces.push(bytes.subarray(i, i + 3));
  assert.deepEqual(await parseCsv(pieces), await parseCsv(text));
  assert.deepEqual((await parseCsv(pieces)).rows, [
    ['Zoë', 'a;b\n"c"'],
    ['Åsa', 'ok'],
  ]);
});

test('chunks hold at most chunkRows rows and together give every row', async () => {
  const lines = ['a,b', ...Array.from({ length: 23 }, (_, i) => `${i},${i * 2}`)].join('\n');
  const s = await openCsv(lines, { chunkRows: 5 });
  const sizes: number[] = [];
  const rows: unknown[] = [];
  for await (const c of s.chunks()) {
    sizes.push(c.length);
    rows.push(...c);
  }
  assert.deepEqual(sizes, [5, 5, 5, 5, 3]);
  assert.deepEqual(rows, (await parseCsv(lines)).rows);
});

test('a stream can be read once', async () => {
  const s = await openCsv('a\n1\n');
  await collectTable(s);
  assert.throws(() => s.chunks());
});

test('structural problems are one-line DataErrors naming the source and row', async () => {
  const src = { source: 'x.csv' };
  await assert.rejects(parseCsv('', src), { name: 'DataError', message: 'x.csv is empty' });
  await assert.rejects(parseCsv('\n\n', src), { message: 'x.csv is empty' });
  await assert.rejects(parseCsv('a,b\n', src), { message: 'x.csv has a header but no data rows' });
  await assert.rejects(parseCsv('1,2.5,3\n4,5,6\n', src), {
    message: 'x.csv: the first line (1, 2.5, 3) looks like data, not a header: add a header row naming the columns',
  });
  await assert.rejects(parseCsv('a,b,a\n1,2,3\n', src), { message: "x.csv: duplicate column name 'a' (columns 1 and 3)" });
  await assert.rejects(parseCsv('a,,c\n1,2,3\n', src), { message: 'x.csv: column 2 has an empty name in the header' });
  await assert.rejects(parseCsv('a,b,c\n1,2,3\n4,5\n', src), { message: 'x.csv: row 2 has 2 fields, header has 3' });
  await assert.rejects(parseCsv('a,b\n1,2,3\n', src), { message: 'x.csv: row 1 has 3 fields, header has 2' });
  await assert.rejects(parseCsv('a,b\n1,"2\n', src), (e: Error) => e instanceof DataError && /^x\.csv: Quote Not Closed/.test(e.message) && !e.message.includes('\n'));
});

test('a ragged row deep in the stream is reported with its row number', async () => {
  const lines = ['a,b', ...Array.from({ length: 30 }, (_, i) => (i === 26 ? '1,2,3' : `${i},${i}`))].join('\n');
  const s = await openCsv(lines, { chunkRows: 4, source: 'big.csv' });
  await assert.rejects(collectTable(s), { message: 'big.csv: row 27 has 3 fields, header has 2' });
});

test('every line end ends a record, mixed in one file and split anywhere between chunks', async () => {
  const want = { header: ['id', 'a', 'b'], rows: [['r1', '1', 'x'], ['r2', '3', '4'], ['r3', '5', '6']] };
  const texts = [
    'id,a,b\r\nr1,1,x\nr2,3,4\nr3,5,6\n',
    'id,a,b\nr1,1,x\r\nr2,3,4\r\nr3,5,6\r\n',
    'id,a,b\rr1,1,x\rr2,3,4\rr3,5,6',
    'id,a,b\r\nr1,1,"x"\rr2,3,4\nr3,5,6\r\n',
  ];
  for (const text of texts) {
    for (let cut = 1; cut < text.length; cut++) {
      const t = await parseCsv([text.slice(0, cut), text.slice(cut)]);
      assert.deepEqual({ header: t.header, rows: t.rows }, want, `${JSON.stringify(text)} cut at ${cut}`);
    }
  }
  // Inside quotes a line break is data, whichever it is.
  assert.deepEqual((await parseCsv('a,b\r\n"x\r\ny",1\n')).rows, [['x\r\ny', '1']]);
});
