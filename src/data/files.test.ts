import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { formatOf, openTable, readTable } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const CSV = 'id;colour;amount\n1;"red; dark";2.5\n2;blue;NA\n3;"multi\nline";-1\n';

test('format and compression come from the file name', () => {
  assert.deepEqual(formatOf('a.CSV'), { format: 'csv', gzip: false });
  assert.deepEqual(formatOf('a.tsv.gz'), { format: 'csv', gzip: true });
  assert.deepEqual(formatOf('a.json'), { format: 'json', gzip: false });
  assert.deepEqual(formatOf('a.ndjson.gz'), { format: 'json', gzip: true });
  assert.deepEqual(formatOf('a.jsonl'), { format: 'json', gzip: false });
});

test('a gzipped CSV reads the same as the plain one', async () => {
  const plain = await readTable(file('t.csv', CSV));
  const gz = await readTable(file('t.csv.gz', gzipSync(CSV)));
  assert.deepEqual(gz.rows, plain.rows);
  assert.deepEqual(plain.rows[0], ['1', 'red; dark', '2.5']);
  assert.equal(gz.source, join(dir, 't.csv.gz'));
});

test('JSON arrays and NDJSON files, gzipped or not', async () => {
  const recs = [{ a: 1, b: 'x' }, { a: 2, b: null }];
  const want = [
    ['1', 'x'],
    ['2', null],
  ];
  assert.deepEqual((await readTable(file('r.json', JSON.stringify(recs)))).rows, want);
  const nd = recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
  assert.deepEqual((await readTable(file('r.ndjson', nd))).rows, want);
  assert.deepEqual((await readTable(file('r.jsonl.gz', gzipSync(nd)))).rows, want);
  assert.deepEqual((await readTable(file('r.json.gz', gzipSync(JSON.stringify(recs))))).rows, want);
});

test('streaming in chunks gives the same rows as reading whole, and chunks() can be re-read', async () => {
  const lines = ['a,b,c'];
  for (let i = 0; i < 1000; i++) lines.push(`${i},"v${i % 7}, x",${(i * 0.37) % 5}`);
  const p = file('many.csv.gz', gzipSync(lines.join('\n')));
  const whole = await readTable(p);
  const t = await openTable(p, { chunkRows: 64 });
  for (let pass = 0; pass < 2; pass++) {
    const rows = [];
    let chunks = 0;
    for await (const c of t.chunks()) {
      assert.ok(c.length <= 64);
      chunks++;
      rows.push(...c);
    }
    assert.equal(chunks, 16);
    assert.deepEqual(rows, whole.rows);
  }
  assert.equal(whole.rows.length, 1000);
});

test('stopping early closes the file without error', async () => {
  const t = await openTable(join(dir, 'many.csv.gz'), { chunkRows: 10 });
  for await (const c of t.chunks()) {
    assert.equal(c.length, 10);
    break;
  }
  // Or never reading the rows at all.
  await (await openTable(join(dir, 'many.csv.gz'))).close();
});

test('file problems are one-line DataErrors naming the file', async () => {
  const missing = join(dir, 'nope.csv');
  await assert.rejects(openTable(missing), { name: 'DataError', message: `no such file: ${missing}` });
  await assert.rejects(openTable(dir), { message: `${dir} is a directory, not a data file` });
  const empty = file('empty.csv', '');
  await assert.rejects(openTable(empty), { message: `${empty} is empty` });
  const emptyGz = file('empty.csv.gz', gzipSync(''));
  await assert.rejects(openTable(emptyGz), { message: `${emptyGz} is empty` });
  const headerOnly = file('h.csv', 'a,b,c\n');
  await assert.rejects(openTable(headerOnly), { message: `${headerOnly} has a header but no data rows` });
  const noHeader = file('nh.csv', '1,2,3\n4,5,6\n');
  await assert.rejects(openTable(noHeader), { message: `${noHeader}: the first line (1, 2, 3) looks like data, not a header: add a header row naming the columns` });
  const dup = file('dup.csv', 'a,b,b\n1,2,3\n');
  await assert.rejects(openTable(dup), { message: `${dup}: duplicate column name 'b' (columns 2 and 3)` });
  const ragged = file('rag.csv', 'a,b,c\n1,2,3\n4,5\n');
  await assert.rejects(readTable(ragged), { message: `${ragged}: row 2 has 2 fields, header has 3` });
  const badJson = file('bad.jsonl', '{"a":1}\n{"a":}\n');
  await assert.rejects(readTable(badJson), (e: Error) => e.name === 'DataError' && e.message.startsWith(`${badJson}: invalid JSON at line 2: `));
  const notGz = file('plain.csv.gz', 'a,b\n1,2\n');
  await assert.rejects(readTable(notGz), (e: Error) => e.name === 'DataError' && e.message.startsWith(`${notGz}: not valid gzip data`));
});

test('a file several times the heap limit streams in bounded memory', { timeout: 60_000 }, async () => {
  // ~20 MB of CSV (about 330k rows) against a 12 MB heap: holding the rows would need over 50 MB.
  const p = join(dir, 'large.csv');
  const block: string[] = [];
  for (let i = 0; i < 2000; i++) block.push(`${i},${(i * 0.731).toFixed(4)},${i % 13},"c, ${i % 5}",${i * 7},0.5,${i % 2}`);
  const bytes = Buffer.from(block.join('\n') + '\n');
  const fd = openSync(p, 'w');
  writeSync(fd, 'a,b,c,d,e,f,g\n');
  const copies = Math.ceil(20e6 / bytes.length);
  for (let k = 0; k < copies; k++) writeSync(fd, bytes);
  closeSync(fd);
  const files = fileURLToPath(new URL('./files.js', import.meta.url));
  const script = `
    const { openTable } = await import(${JSON.stringify(files)});
    const t = await openTable(${JSON.stringify(p)}, { chunkRows: 2000 });
    let n = 0;
    for await (const c of t.chunks()) n += c.length;
    console.log(n);`;
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--max-old-space-size=12', '--input-type=module', '-e', script], (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  assert.equal(Number(out.trim()), copies * 2000);
});
