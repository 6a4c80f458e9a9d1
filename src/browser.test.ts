import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { csvCases, DEEP, fitAndScore, fitModelBytes, scoreModelBytes, type FixtureScores } from './testing/browser-fixture.js';

/**
 * The library runs in a browser: the main entry bundled by esbuild for the browser platform,
 * loaded in headless Chromium (Debian's, never a downloaded one), fits the same seeded detectors
 * as Node and scores a model file saved in Node from its bytes.
 */
const DIST = fileURLToPath(new URL('./', import.meta.url));
const WASM = join(DIST, '../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The page's program: the fixture, with the .wasm files where the caller says (setWasmPaths). */
const ENTRY = `
import { setWasmPaths } from './index.js';
import * as fixture from './testing/browser-fixture.js';
setWasmPaths('/wasm/');
globalThis.fixture = fixture;
`;

async function bundle(): Promise<string> {
  const r = await build({
    stdin: { contents: ENTRY, resolveDir: DIST, sourcefile: 'app.js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  assert.deepEqual(r.errors, []);
  return r.outputFiles[0]!.text;
}

function serve(files: Map<string, { type: string; body: string | Uint8Array }>, requested: string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(path);
    const f = files.get(path);
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${a.port}/` });
  }));
}

const maxDiff = (a: number[], b: number[]): number => {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
};

test('the main entry bundles for the browser, fits, scores and parses CSV there as in Node, and loads a model file saved in Node', { timeout: 300_000 }, async () => {
  const node = await fitAndScore();
  const modelBytes = await fitModelBytes('autoencoder', DEEP);
  const nodeSaved = await scoreModelBytes(modelBytes);
  const nodeCsv = await csvCases();

  const files = new Map<string, { type: string; body: string | Uint8Array }>([
    ['/', { type: 'text/html', body: '<!doctype html><script type="module" src="/app.js"></script>' }],
    ['/app.js', { type: 'text/javascript', body: await bundle() }],
    ['/model.vigil', { type: 'application/octet-stream', body: modelBytes }],
  ]);
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    files.set(`/wasm/${name}`, { type: 'application/wasm', body: await readFile(join(WASM, name)) });
  }
  const requested: string[] = [];
  const { server, url } = await serve(files, requested);
  const profile = await mkdtemp(join(tmpdir(), 'vigil-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => 'fixture' in globalThis);
    const browser = await page.evaluate(async () => {
      const f = (globalThis as unknown as { fixture: typeof import('./testing/browser-fixture.js') }).fixture;
      const scores: FixtureScores = await f.fitAndScore();
      const bytes = new Uint8Array(await (await fetch('/model.vigil')).arrayBuffer());
      return { ...scores, saved: await f.scoreModelBytes(bytes), csv: await f.csvCases() };
    });
    assert.deepEqual(errors, []);

    assert.equal(node.engine, 'tfjs-wasm');
    assert.equal(browser.engine, 'tfjs-wasm', 'the browser runs the wasm backend, not a fallback');
    assert.ok(requested.some((p) => p.startsWith('/wasm/') && p.endsWith('.wasm')), `no .wasm fetched from setWasmPaths' prefix: ${requested.join(', ')}`);
    assert.ok(maxDiff(browser.iforest, node.iforest) <= 1e-9, `iforest differs by ${maxDiff(browser.iforest, node.iforest)}`);
    assert.deepEqual(browser.autoencoder, node.autoencoder);
    assert.deepEqual(browser.saved, nodeSaved);
    assert.deepEqual(browser.csv, nodeCsv, 'the browser parses CSV text as Node does, errors included');
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(profile, { recursive: true, force: true });
  }
});
