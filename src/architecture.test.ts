import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The import rules of DESIGN.md, checked on the TypeScript sources. */
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = sources(SRC).map((p) => ({ path: relative(SRC, p), text: readFileSync(p, 'utf8') }));
const imports = (text: string): string[] => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

/** Surfaces sit on the core; the core never reaches up into them. */
const SURFACES = ['cli/', 'bench/', 'service/'];
/** The thin modules allowed to touch files, processes or the network. */
const IO_MODULES = new Set(['data/files.ts', 'data/images/files.ts', 'persist/file.ts', 'node.ts']);

test('the sources were found', () => {
  assert.ok(files.length > 50, `${files.length} files`);
});

test('the core never imports a surface (cli, bench, service)', () => {
  for (const f of files) {
    if (SURFACES.some((s) => f.path.startsWith(s))) continue;
    for (const spec of imports(f.text)) {
      assert.ok(!/(^|\/)(cli|bench|service)\//.test(spec), `${f.path} imports ${spec}`);
    }
  }
});

test('only src/engine/tfjs imports TensorFlow.js', () => {
  for (const f of files) {
    if (f.path.startsWith('engine/tfjs/')) continue;
    for (const spec of imports(f.text)) assert.ok(!spec.startsWith('@tensorflow/'), `${f.path} imports ${spec}`);
  }
});

test('the core does no file, process or network I/O outside its thin I/O modules', () => {
  const io = /^node:(fs|fs\/promises|http|https|net|child_process)$/;
  for (const f of files) {
    if (SURFACES.some((s) => f.path.startsWith(s)) || IO_MODULES.has(f.path)) continue;
    for (const spec of imports(f.text)) assert.ok(!io.test(spec), `${f.path} imports ${spec}`);
  }
});
