import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './csv.js';
import { parseJson } from './json.js';
import { seriesFromTable } from './series.js';

const csv = (text: string) => parseCsv(text);

test('one series: ISO timestamps, two channels, median interval, rows mapped', async () => {
  const t = await csv('timestamp,hr,spo2\n2024-01-01T00:00:00Z,60,98\n2024-01-01T00:01:00Z,61,97\n2024-01-01T00:02:00Z,62,99\n');
  const [s] = seriesFromTable(t);
  assert.equal(s!.id, null);
  assert.deepEqual(s!.channels, ['hr', 'spo2']);
  assert.equal(s!.interval, 60_000);
  assert.equal(s!.series.rows, 3);
  assert.deepEqual([...s!.series.data], [60, 98, 61, 97, 62, 99]);
  assert.deepEqual([...s!.rows], [1, 2, 3]);
});

test('many series keyed by an id column, epoch-number timestamps, a named timestamp column', async () => {
  const t = await csv('host,at,cpu\na,100,1\nb,100,5\na,110,2\nb,110,6\na,120,3\n');
  const all = seriesFromTable(t, { timestamp: 'at', seriesId: 'host' });
  assert.deepEqual(all.map((s) => s.id), ['a', 'b']);
  assert.deepEqual([...all[0]!.series.data], [1, 2, 3]);
  assert.deepEqual([...all[1]!.series.data], [5, 6]);
  assert.deepEqual([...all[1]!.rows], [2, 4]);
  assert.equal(all[0]!.interval, 10);
});

test('missing values and short gaps are filled by linear interpolation; the ends take the nearest value', async () => {
  const t = await csv('time,v\n0,\n1,2\n2,\n3,\n4,8\n7,14\n8,\n');
  const [s] = seriesFromTable(t, { maxGap: 2 });
  // Rows at 0..4, a gap of two steps (5, 6) before 7, then 8.
  assert.deepEqual([...s!.timestamps], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...s!.series.data], [2, 2, 4, 6, 8, 10, 12, 14, 14]);
  assert.deepEqual([...s!.rows], [1, 2, 3, 4, 5, 0, 0, 6, 7]);
  assert.equal(s!.filled, 6);
});

test('dropOutOfOrder drops rows not after the last kept one, and counts them', async () => {
  const t = await csv('timestamp,v\n1,1\n2,2\n3,3\n2,9\n3,9\n4,4\n');
  assert.throws(() => seriesFromTable(t), /row 4 is earlier than row 3/);
  const [s] = seriesFromTable(t, { dropOutOfOrder: true });
  assert.deepEqual([...s!.series.data], [1, 2, 3, 4]);
  assert.deepEqual([...s!.rows], [1, 2, 3, 6]);
  assert.equal(s!.dropped, 2);
});

test('NDJSON input reads the same', async () => {
  const t = await parseJson('{"timestamp":"2024-01-01","v":1}\n{"timestamp":"2024-01-02","v":2}\n');
  assert.deepEqual([...seriesFromTable(t)[0]!.series.data], [1, 2]);
});

test('bad input gets clear errors naming rows and columns', async () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['timestamp,v\n3,1\n2,2\n', {}, /row 2 is earlier than row 1: timestamps must increase \(sort the file by time, or set dropOutOfOrder/],
    ['timestamp,v\n1,1\n1,2\n', {}, /row 2 repeats the timestamp of row 1/],
    ['timestamp,v\n1,1\n2,abc\n3,4\n', {}, /column 'v': row 2 has 'abc' where a number is expected/],
    ['timestamp,v,host\n1,1,a\n2,2,b\n', {}, /column 'host': row 1 has 'a' where a number is expected \(if it keys several series, name it as the series id/],
    ['when,v\n1,1\n2,2\n', {}, /no timestamp column .*name it with the timestamp option/],
    ['timestamp,v\nmonday,1\ntuesday,2\n', {}, /column 'timestamp': row 1 has 'monday' where a timestamp/],
    ['timestamp,v\n1,1\n2,2\n3,3\n10,4\n', {}, /rows 3 and 4 are 7 intervals apart, a gap of 6 steps; at most 5 are filled/],
    ['timestamp,v\n1,1\n2,\n3,\n4,4\n', { maxGap: 1 }, /column 'v': 2 missing steps from row 2 to row 3; at most 1 are filled/],
    ['timestamp,v\n1,\n2,\n', {}, /column 'v' has no values/],
    ['timestamp,v\n1,1\n', {}, /at least 2 rows/],
    ['timestamp,v\n1,1\n2,2\n', { seriesId: 'host' }, /unknown column 'host'/],
  ];
  for (const [text, o, msg] of cases) assert.throws(() => seriesFromTable(tableOf(text), o), msg, text);
});

/** Synchronous CSV for the error table: comma-separated, no quoting. */
function tableOf(text: string) {
  const [head, ...lines] = text.trim().split('\n');
  return { header: head!.split(','), rows: lines.map((l) => l.split(',')) };
}
