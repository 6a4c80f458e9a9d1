import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openJson, parseJson } from './json.js';
import { collectTable } from './table.js';

test('a JSON array of objects becomes rows of text cells', async () => {
  const t = await parseJson('[{"a": 1, "b": "x", "c": true}, {"a": 2.5e-3, "b": null}, {"c": false, "a": -0.1}]');
  assert.deepEqual(t.header, ['a', 'b', 'c']);
  assert.deepEqual(t.rows, [
    ['1', 'x', 'true'],
    ['0.0025', null, null],
    ['-0.1', null, 'false'],
  ]);
});

test('numbers survive the trip through text exactly', async () => {
  const xs = [0.1 + 0.2, 1 / 3, 123456789.12345678, 5e-324, 1.7976931348623157e308];
  const t = await parseJson(JSON.stringify(xs.map((x) => ({ x }))));
  assert.deepEqual(
    t.rows.map((r) => Number(r[0])),
    xs,
  );
});

test('NDJSON: one object per line, blank lines skipped, CRLF ok', async () => {
  const t = await parseJson('{"a":1,"b":"u"}\r\n\n  \n{"a":2}\n{"b":"w","a":3}');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.rows, [
    ['1', 'u'],
    ['2', null],
    ['3', 'w'],
  ]);
});

test('a JSON array fed in small pieces streams in chunks and matches a whole read', async () => {
  const records = Array.from({ length: 40 }, (_, i) => ({ id: i, s: `q"{[,]}"\n${i}`, v: i / 7 }));
  const text = `\uFEFF[\n${records.map((r) => JSON.stringify(r, null, 1)).join(',\n')}\n]\n`;
  const bytes = Buffer.from(text);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
  const s = await openJson(pieces, { chunkRows: 16 });
  const sizes: number[] = [];
  for await (const c of s.chunks()) sizes.push(c.length);
  assert.deepEqual(sizes, [16, 16, 8]);
  const whole = await parseJson(text);
  assert.deepEqual((await collectTable(await openJson(pieces))).rows, whole.rows);
  assert.equal(whole.rows[39]![1], 'q"{[,]}"\n39');
});

test('JSON problems are one-line DataErrors with the line', async () => {
  const src = { source: 'x.ndjson' };
  await assert.rejects(parseJson('{"a":1}\n{"a":2\n{"a":3}\n', src), (e: Error) =>
    e.name === 'DataError' && e.message.startsWith('x.ndjson: invalid JSON at line 2: ') && !e.message.includes('\n'));
  await assert.rejects(parseJson('{"a":1}\n[1]\n', src), { message: 'x.ndjson: the value at line 2 is not a JSON object' });
  await assert.rejects(parseJson('{"a":1}\n{"a":1,"z":2}\n', src), {
    message: "x.ndjson: the record at line 2 has key 'z' that the first record lacks (columns: a)",
  });
  await assert.rejects(parseJson('{"a":{"b":1}}\n', src), {
    message: "x.ndjson: the record at line 1 has a nested value in 'a': only flat records are supported",
  });
  await assert.rejects(parseJson('  \n', src), { message: 'x.ndjson is empty' });
  await assert.rejects(parseJson('[]', src), { message: 'x.ndjson has no records' });
  await assert.rejects(parseJson('[{"a":1},\n{"a":2},\n{"a":}]', src), (e: Error) => e.message.startsWith('x.ndjson: invalid JSON at line 3: '));
  await assert.rejects(parseJson('[{"a":1},\n]', src), { message: 'x.ndjson: invalid JSON at line 2: empty array element' });
  await assert.rejects(parseJson('[{"a":1}\n', src), { message: "x.ndjson: invalid JSON at line 2: the array is not closed with ']'" });
  await assert.rejects(parseJson('[{"a":1}] x', src), { message: "x.ndjson: invalid JSON at line 1: unexpected text after the closing ']'" });
});
