import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package as `npm pack` makes it: what it ships (`npm pack --dry-run`), and a consumer that
 * installs the tarball: no install-time build or script, types that resolve under node16,
 * bundler and node10 module resolution, and a working `vigil` bin.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  imports: Record<string, Record<string, string>>;
  typesVersions: Record<string, Record<string, string[]>>;
  dependencies: Record<string, string>;
};
/** The scripts npm runs when a package is installed as a dependency (and npm 11 warns about). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

interface PackedFile {
  path: string;
}
/** The dist is already built (`npm test` runs tsc first); --ignore-scripts keeps prepack from building it again. */
const packed = (): PackedFile[] => (JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT).stdout) as { files: PackedFile[] }[])[0]!.files;

/** Every file a package.json field points at: main, types, bin, exports, imports, typesVersions. */
function targets(): string[] {
  const out = [PKG.main, PKG.types, ...Object.values(PKG.bin)];
  for (const e of Object.values(PKG.exports)) out.push(...(typeof e === 'string' ? [e] : Object.values(e)));
  for (const e of Object.values(PKG.imports)) out.push(...Object.values(e));
  for (const m of Object.values(PKG.typesVersions)) for (const paths of Object.values(m)) out.push(...paths);
  return out.map((p) => posix.normalize(p));
}

test('npm pack ships the built library without tests, sources or test helpers, with a LICENSE and README', () => {
  const files = packed().map((f) => f.path);
  const have = new Set(files);
  assert.ok(have.has('LICENSE') && have.has('README.md') && have.has('package.json'), files.slice(0, 20).join(', '));
  assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 the Vigil authors\n/);
  assert.deepEqual(files.filter((f) => /\.test\./.test(f)), []);
  assert.deepEqual(files.filter((f) => !f.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(f)), []);
  assert.deepEqual(files.filter((f) => f.startsWith('dist/testing/')), []);
  assert.ok(files.filter((f) => f.endsWith('.js')).length > 100);
  for (const t of targets()) assert.ok(have.has(t), `package.json points at ${t}, which the package lacks`);
});

test("every shipped source map is shipped with the file that names it and carries its sources' text", () => {
  const files = packed().map((f) => f.path);
  const have = new Set(files);
  for (const f of files.filter((p) => p.endsWith('.js'))) {
    const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(ROOT, f), 'utf8'));
    if (m) assert.ok(have.has(posix.join(posix.dirname(f), m[1]!)), `${f} points at ${m[1]}, not shipped`);
  }
  const maps = files.filter((p) => p.endsWith('.map'));
  assert.ok(maps.length > 100);
  for (const f of maps) {
    const map = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    map.sources.forEach((s, i) => {
      const shipped = have.has(posix.join(posix.dirname(f), s));
      assert.ok(shipped || typeof map.sourcesContent?.[i] === 'string', `${f}: source ${s} is neither shipped nor inlined`);
    });
  }
});

test('the packed package.json runs nothing at install: no preinstall, install, postinstall or prepare', () => {
  const scripts = (PKG as { scripts?: Record<string, string> }).scripts ?? {};
  assert.deepEqual(INSTALL_SCRIPTS.filter((s) => s in scripts), []);
  // A clone still builds on `npm ci`: postprepare runs for the root project only, never for a dependency.
  assert.match(scripts['postprepare'] ?? '', /\btsc\b/);
});

const CONSUMER = `import { Model, type Frame } from 'vigil';
import { loadModel, saveModel } from 'vigil/node';

const frame: Frame = { rows: 8, columns: [{ name: 'x', kind: 'numeric', values: Float64Array.from([1, 2, 3, 2, 1, 2, 3, 40]) }] };
const model = await Model.fit(frame, { detector: 'iforest', options: { seed: 1 } });
await saveModel(model, process.argv[2]!);
const scores: Float64Array = await (await loadModel(process.argv[2]!)).score(frame);
console.log(JSON.stringify([...scores]));
`;

/** node10 (moduleResolution "node") reads no `exports`: the types come from `types` and `typesVersions`. */
const CONSUMER_NODE10 = `import type { Model, Frame } from 'vigil';
import type { loadModel } from 'vigil/node';
export type Loaded = [Model, Frame, ReturnType<typeof loadModel>];
`;

test('the packed tarball installs offline with no script or warning, type-checks under node16, bundler and node10, and its bin runs', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-consumer-'));
  try {
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    const tgz = `${PKG.name}-${PKG.version}.tgz`;
    // What npm 11 warns about for a tarball dependency (and would run): these scripts, or a binding.gyp.
    const listing = run('tar', ['-tzf', tgz], dir).stdout.split('\n');
    assert.ok(!listing.includes('package/binding.gyp'));
    const manifest = JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json'], dir).stdout) as { scripts?: Record<string, string> };
    assert.deepEqual(INSTALL_SCRIPTS.filter((k) => k in (manifest.scripts ?? {})), []);
    // A lockfile from ours (runtime packages only, with their integrity) lets npm install from its cache, offline.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
    const packages: Record<string, unknown> = {
      '': { name: 'consumer', version: '1.0.0', dependencies: { vigil: `file:${tgz}` } },
      'node_modules/vigil': { version: PKG.version, resolved: `file:${tgz}`, dependencies: PKG.dependencies, bin: PKG.bin },
    };
    for (const [k, v] of Object.entries(lock.packages)) if (k && !v.dev && !v.devOptional) packages[k] = v;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { vigil: `file:${tgz}` } }));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }));
    const install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], dir);
    const out = install.stdout + install.stderr;
    // Vigil itself runs nothing at install: no script of its own, no build.
    assert.doesNotMatch(out, /> vigil@|\btsc\b|prepare/i);
    // npm itself warns about nothing of ours (a tarball with install scripts would be flagged).
    // The one warning left is a dependency's: fastify's test-injection dependency cookie@2
    // declares Node 22 though it runs on 20. (better-sqlite3's own build prints its compiler's
    // output, which is not npm's.)
    const npmWarnings = out.split('\n').filter((l) => /^npm warn/i.test(l));
    assert.deepEqual(npmWarnings.filter((l) => !/^npm warn EBADENGINE/.test(l)), []);
    const engines = npmWarnings.filter((l) => /EBADENGINE\s+package:/.test(l));
    assert.ok(engines.every((l) => /'cookie@2\./.test(l)), engines.join('\n'));

    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/main.ts'), CONSUMER);
    writeFileSync(join(dir, 'src/node10.ts'), CONSUMER_NODE10);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const common = ['--strict', '--skipLibCheck', 'false', '--target', 'ES2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types')];
    run(process.execPath, [tsc, ...common, '--module', 'node16', '--moduleResolution', 'node16', '--outDir', 'out', 'src/main.ts'], dir);
    run(process.execPath, [tsc, ...common, '--module', 'esnext', '--moduleResolution', 'bundler', '--noEmit', 'src/main.ts'], dir);
    run(process.execPath, [tsc, ...common, '--module', 'commonjs', '--moduleResolution', 'node10', '--noEmit', 'src/node10.ts'], dir);

    const scores = JSON.parse(run(process.execPath, ['out/main.js', join(dir, 'm.vigil')], dir).stdout) as number[];
    assert.equal(scores.length, 8);
    assert.equal(scores.indexOf(Math.max(...scores)), 7, 'the outlier scores highest');

    const help = run(join(dir, 'node_modules/.bin/vigil'), ['--help'], dir).stdout;
    for (const c of ['fit', 'score', 'eval', 'tune', 'bench', 'detectors', 'stream']) assert.match(help, new RegExp(`^  ${c}\\b`, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
