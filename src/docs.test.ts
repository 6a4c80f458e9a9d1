import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The docs cannot drift from the code: every ```ts block of README.md and docs/*.md is
 * type-checked under `strict` against the built package (`vigil` and `vigil/node` resolve through
 * package.json's `exports`, as in a user's project) and run; every ```sh block that runs `vigil`
 * or `node examples/...` runs in a scratch directory and must exit 0. Blocks of one file run in
 * order in one directory, so a block can use the files an earlier one wrote. A plain ``` block
 * right after a block that runs is that block's output and must match what it prints (durations
 * aside). An sh block that cannot run here says so on the line before it:
 * `<!-- not run: the reason -->`.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->$/;

interface Block {
  doc: string;
  /** 1-based line of the first line inside the fence. */
  line: number;
  lang: string;
  code: string;
  notRun?: string;
  expected?: string;
}

function blocks(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const out: Block[] = [];
  let previous: Block | undefined; // the last runnable block, until prose intervenes
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) {
      if (lines[i]!.trim() !== '') previous = undefined;
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const code = lines.slice(start, end).join('\n');
    const lang = open[1]!;
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const notRun = k >= 0 ? NOT_RUN.exec(lines[k]!.trim())?.[1] : undefined;
    i = end;
    if (lang === '' && previous) {
      previous.expected = code;
      previous = undefined;
      continue;
    }
    if (lang === 'ts' || lang === 'sh') {
      const b: Block = { doc, line: start + 1, lang, code, notRun };
      out.push(b);
      previous = notRun === undefined && runs(b) ? b : undefined;
    } else previous = undefined;
  }
  return out;
}

/** ts blocks always run; sh blocks run when they use the CLI or an example. */
function runs(b: Block): boolean {
  return b.lang === 'ts' || /(^|[\s|;&(])(npx vigil|vigil|node examples\/)/m.test(b.code);
}

const all = DOCS.flatMap(blocks);
const where = (b: Block): string => `${b.doc}:${b.line}`;

// A project of the user's: the package installed under node_modules, its CLI on the PATH.
const scratch = mkdtempSync(join(tmpdir(), 'vigil-docs-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
mkdirSync(join(scratch, 'node_modules', '.bin'), { recursive: true });
symlinkSync(ROOT, join(scratch, 'node_modules', 'vigil'), 'dir');
const bin = join(scratch, 'node_modules', '.bin', 'vigil');
writeFileSync(bin, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))} "$@"\n`);
chmodSync(bin, 0o755);
writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'docs-user', private: true, type: 'module' }));
mkdirSync(join(scratch, 'blocks'));

const tsBlocks = all.filter((b) => b.lang === 'ts');
const fileOf = (b: Block): string => join(scratch, 'blocks', `${b.doc.replace(/[/.]/g, '_')}_${b.line}.ts`);
for (const b of tsBlocks) writeFileSync(fileOf(b), b.code + '\n');

/** Type-checks every ts block in one program, strict, as a user's NodeNext project would. */
function compile(): Map<string, string[]> {
  const program = ts.createProgram(tsBlocks.map(fileOf), {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    skipLibCheck: true,
    outDir: join(scratch, 'blocks'),
    rootDir: join(scratch, 'blocks'),
  });
  const errors = new Map<string, string[]>();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  for (const d of diagnostics) {
    const file = d.file?.fileName ?? '';
    const b = tsBlocks.find((x) => fileOf(x) === file);
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
    const at = b ? `${b.doc}:${b.line + line}` : file;
    const list = errors.get(file) ?? [];
    list.push(`${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    errors.set(file, list);
  }
  return errors;
}
const typeErrors = compile();

/** Durations differ from run to run; everything else a block prints is deterministic. */
const normalise = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.replace(/\b\d+(\.\d+)?\s?(ms|s|min)\b/g, '<duration>').trimEnd())
    .join('\n')
    .trim();

function run(b: Block, cwd: string): { code: number | null; output: string } {
  const env = { ...process.env, VIGIL_NO_PROGRESS: '1', PATH: `${join(scratch, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}` };
  const r =
    b.lang === 'ts'
      ? spawnSync(process.execPath, [fileOf(b).replace(/\.ts$/, '.js')], { cwd, env, encoding: 'utf8', timeout: 180_000 })
      : spawnSync(
          'bash',
          [
            '-c',
            // `npx vigil` is the package's own bin, as in a user's project; both streams, as a terminal shows them.
            'exec 2>&1\nset -eo pipefail\nnpx() { if [ "$1" = vigil ]; then shift; vigil "$@"; else command npx "$@"; fi; }\n' + b.code,
          ],
          { cwd, env, encoding: 'utf8', timeout: 180_000 },
        );
  return { code: r.status, output: r.stdout + (b.lang === 'ts' ? r.stderr : '') };
}

test('the docs were found, with blocks that run', () => {
  assert.ok(DOCS.includes('docs/library.md'), DOCS.join(', '));
  assert.ok(all.filter((b) => b.lang === 'ts').length >= 5, `${tsBlocks.length} ts blocks`);
  assert.ok(all.filter((b) => b.lang === 'sh' && b.notRun === undefined).length >= 5);
});

test('the README stays a quick start, a tour and links (under 300 lines); the detail lives in docs/', () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length;
  assert.ok(lines < 300, `README.md has ${lines} lines: move the detail into docs/`);
});

test('every sh block either runs or says on the line before it why it cannot (<!-- not run: reason -->)', () => {
  const silent = all.filter((b) => b.lang === 'sh' && b.notRun === undefined && !runs(b));
  assert.deepEqual(silent.map(where), []);
  const annotatedTs = all.filter((b) => b.lang === 'ts' && b.notRun !== undefined);
  assert.deepEqual(annotatedTs.map(where), [], 'ts blocks always run: give them the small data they need');
});

test("ts blocks import only the public entry points ('vigil', 'vigil/node') and Node's built-ins", () => {
  const imports = tsBlocks.flatMap((b) => [...b.code.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => ({ at: where(b), spec: m[1]! })));
  assert.ok(imports.length >= tsBlocks.length);
  assert.deepEqual(imports.filter((i) => !/^(vigil|vigil\/node|node:[a-z/]+)$/.test(i.spec)), []);
});

for (const doc of DOCS) {
  const cwd = join(scratch, 'work', doc.replace(/[/.]/g, '_'));
  mkdirSync(cwd, { recursive: true });
  symlinkSync(join(ROOT, 'examples'), join(cwd, 'examples'), 'dir');
  for (const b of all.filter((x) => x.doc === doc && x.notRun === undefined && runs(x))) {
    test(`${where(b)}: the ${b.lang} block ${b.lang === 'ts' ? 'type-checks, ' : ''}runs${b.expected !== undefined ? ' and prints what the doc shows' : ''}`, () => {
      if (b.lang === 'ts') assert.deepEqual(typeErrors.get(fileOf(b)) ?? [], [], 'type errors');
      const r = run(b, cwd);
      assert.equal(r.code, 0, `${where(b)} exited with ${r.code}:\n${r.output}`);
      if (b.expected !== undefined && normalise(r.output) !== normalise(b.expected)) {
        assert.fail(`${where(b)} printed something else than the doc's output block after it; if the change is meant, paste this there:\n${r.output}`);
      }
    });
  }
}
