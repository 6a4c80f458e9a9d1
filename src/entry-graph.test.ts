import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ImportGraph {
  /** The package's own files reached, relative to `dist`. */
  files: Set<string>;
  /** Every other specifier reached (packages, Node built-ins), with the files importing it. */
  external: Map<string, string[]>;
}

interface GraphOptions {
  /** The package root (package.json and dist/). */
  root: string;
  /** Follow `import('literal')` too, not only static imports and re-exports. */
  dynamic: boolean;
  /** The package.json `imports` condition to follow: `node`, or `default` (what a browser bundler takes). */
  condition: 'node' | 'default';
}

const STATIC = /(?:^|[;\s])(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The modules a built entry reaches, read from the compiled JavaScript (comments dropped). */
function importGraph(entry: string, o: GraphOptions): ImportGraph {
  const dist = join(o.root, 'dist');
  const imports = (JSON.parse(readFileSync(join(o.root, 'package.json'), 'utf8')) as { imports?: Record<string, Record<string, string>> }).imports ?? {};
  const files = new Set<string>();
  const external = new Map<string, string[]>();
  const stack = [resolve(entry)];
  while (stack.length) {
    const file = stack.pop()!;
    const rel = relative(dist, file);
    if (files.has(rel)) continue;
    files.add(rel);
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const specs = [...code.matchAll(STATIC), ...(o.dynamic ? [...code.matchAll(DYNAMIC)] : [])].map((m) => m[1]!);
    for (const spec of specs) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec));
      else if (spec.startsWith('#') && imports[spec]) stack.push(join(o.root, imports[spec][o.condition] ?? imports[spec]['default']!));
      else external.set(spec, [...(external.get(spec) ?? []), rel]);
    }
  }
  return { files, external };
}

function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
}

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
