import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vigil from './index.js';
import * as node from './node.js';

/** The public entry points, as a user imports them. */
const exported = new Set<unknown>(Object.values(vigil));

test("every registered detector, tabular and series, is a factory exported from 'vigil'", () => {
  const defs = [...vigil.listDetectors(), ...vigil.seriesDetectors];
  assert.ok(defs.length >= 30, `${defs.length} detectors`);
  for (const def of defs) {
    assert.ok(exported.has(def), `detector '${def.name}' is registered but not exported from 'vigil'`);
    assert.equal(typeof def, 'function');
  }
});

test("every stream detector is a class exported from 'vigil'", () => {
  for (const name of vigil.STREAM_DETECTORS) {
    const det = vigil.makeStreamDetector(name, {}, {});
    assert.ok(exported.has(det.constructor), `stream detector '${name}' (${det.constructor.name}) is not exported from 'vigil'`);
  }
});

test('a factory validates its options against the schema and builds a detector', () => {
  const det = vigil.autoencoder({ epochs: 3, hiddenSizes: [8, 4] });
  assert.equal(det.name, 'autoencoder');
  assert.equal((det.options as { epochs: number }).epochs, 3);
  assert.throws(() => vigil.iforest({ nEstimators: 0 }), vigil.OptionsError);
  // @ts-expect-error an unknown option does not compile, and is refused at run time too
  assert.throws(() => vigil.lstm({ windw: 3 }), /unknown option 'windw'/);
});

test('the pipeline is reachable from every input: records, rows, CSV text, JSON text, a file', async () => {
  for (const name of ['frameFromObjects', 'frameFromArrays', 'frameFromCsv', 'frameFromJson', 'frameFromTable', 'splitLabel', 'Model', 'SeriesModel', 'seriesFromTable']) {
    assert.equal(typeof (vigil as Record<string, unknown>)[name], 'function', name);
  }
  assert.equal(typeof node.readFrame, 'function');
  const fromCsv = await vigil.frameFromCsv('a,b,c\n1,x,2024-01-01\n2,y,2024-01-02\n');
  const fromObjects = vigil.frameFromObjects([
    { a: 1, b: 'x', c: '2024-01-01' },
    { a: 2, b: 'y', c: '2024-01-02' },
  ]);
  const fromJson = await vigil.frameFromJson('{"a":1,"b":"x","c":"2024-01-01"}\n{"a":2,"b":"y","c":"2024-01-02"}\n');
  assert.deepEqual(fromCsv, fromObjects);
  assert.deepEqual(fromJson, fromObjects);
  assert.deepEqual(
    fromCsv.columns.map((c) => c.kind),
    ['numeric', 'categorical', 'timestamp'],
  );
});

test("'vigil' and 'vigil/node' share no export name, so an import never depends on which entry it came from", () => {
  const both = Object.keys(node).filter((k) => k in vigil);
  assert.deepEqual(both, []);
});

test("readFrame ('vigil/node') types a file's columns as frameFromCsv types the same text, and names the file in errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-api-'));
  try {
    const text = 'id;amount;merchant\nt1;12.5;fuel\nt2;;online\n';
    writeFileSync(join(dir, 'tx.csv'), text);
    assert.deepEqual(await node.readFrame(join(dir, 'tx.csv'), { categorical: ['id'] }), await vigil.frameFromCsv(text, { categorical: ['id'] }));
    // mostly numbers with one word: an error naming the file and the row, not a silent categorical
    writeFileSync(join(dir, 'bad.csv'), 'a,b\n' + Array.from({ length: 20 }, (_, i) => `${i === 7 ? 'oops' : i},1`).join('\n') + '\n');
    await assert.rejects(node.readFrame(join(dir, 'bad.csv')), (e: unknown) => e instanceof vigil.DataError && /bad\.csv.*row 8/.test(e.message));
    await assert.rejects(node.readFrame(join(dir, 'absent.csv')), vigil.DataError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
