import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { importGraph, isNodeBuiltin } from './testing/import-graph.js';

/** What each entry point loads, read from the built files: the package as it ships. */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const dist = (p: string): string => join(ROOT, 'dist', p);

test("the main entry, every lazy import included, reaches no Node built-in under a browser bundler's conditions", () => {
  const g = importGraph(dist('index.js'), { root: ROOT, dynamic: true, condition: 'default' });
  assert.ok(g.files.has('engine/tfjs/engine.js') && g.files.has('engine/tfjs/threads-browser.js'), 'the walk reached the engine');
  assert.ok(g.files.has('data/csv-parser-browser.js'));
  const builtins = [...g.external].filter(([spec]) => isNodeBuiltin(spec));
  assert.deepEqual(builtins, []);
  assert.ok(!g.files.has('persist/file.js') && !g.files.has('data/files.js'), 'file code stays behind vigil/node');
});

test("under Node's conditions the engine gets its worker threads and the streaming CSV parser", () => {
  const g = importGraph(dist('index.js'), { root: ROOT, dynamic: true, condition: 'node' });
  assert.ok(g.files.has('engine/tfjs/threads-node.js') && g.files.has('data/csv-parser-node.js'));
  assert.ok(g.external.has('node:worker_threads'));
});

test("import 'vigil' loads no TensorFlow.js: the engine loads on the first deep fit", () => {
  const g = importGraph(dist('index.js'), { root: ROOT, dynamic: false, condition: 'node' });
  assert.ok(g.files.size > 50);
  assert.deepEqual([...g.external.keys()].filter((s) => s.startsWith('@tensorflow/')), []);
});

test('the CLI loads no command, detector or engine module before it knows the command', () => {
  const g = importGraph(dist('cli/main.js'), { root: ROOT, dynamic: false, condition: 'node' });
  const heavy = [...g.files].filter((f) => /^(cli\/commands|detectors|engine|data|model)\//.test(f));
  assert.deepEqual(heavy, []);
  assert.ok(g.files.has('cli/command-table.js'));
});
