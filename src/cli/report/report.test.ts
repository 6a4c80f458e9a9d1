import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { Rng } from '../../core/random.js';
import { shiftedAnomalies } from '../../testing/synthetic.js';
import { assertOneLineError, runVigil } from '../run-vigil.js';
import { buildReport } from '../../report/index.js';
import { renderReportHtml } from './html.js';

/**
 * `vigil report` end to end: seeded synthetic data, `vigil fit`, `vigil report`, and the page
 * opened from disk (file://) in Debian's Chromium: no console errors, no request but the page
 * itself, the charts drawn (canvases) and the tables there, with and without labels, tabular and
 * series. Screenshots of a labelled tabular report and a series report go to
 * test-output/screenshots/ (git-ignored).
 */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));
/** A column name that would end the data's script element if it were not escaped. */
const NASTY = '</script><b>';

let dir: string;
let browser: BrowserContext;

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function writeTabular(path: string): void {
  // Anomalies shifted along one feature by 3 sd: found, but not all of them above every normal row.
  const { X, labels } = shiftedAnomalies({ rows: 400, cols: 3, anomalies: 20, shift: 3, seed: 11 });
  const rng = new Rng(5);
  const lines = [['id', 'amount', NASTY, 'velocity', 'country', 'ts', 'label'].map(csvCell).join(',')];
  for (let i = 0; i < X.rows; i++) {
    const t = new Date(Date.UTC(2024, 2, 1) + i * 900_000).toISOString();
    const country = ['fr', 'de', '<i>es</i>'][Math.floor(rng.next() * 3)]!;
    lines.push([`tx${i}`, X.data[i * 3]!.toFixed(4), X.data[i * 3 + 1]!.toFixed(4), X.data[i * 3 + 2]!.toFixed(4), country, t, String(labels[i])].map(csvCell).join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

function writeSeries(path: string): void {
  const rng = new Rng(8);
  const lines = ['timestamp,temperature,vibration,label'];
  for (let i = 0; i < 3000; i++) {
    const planted = i === 1800 || i === 2500;
    const t = new Date(Date.UTC(2024, 5, 1) + i * 60_000).toISOString();
    const temp = 40 + 3 * Math.sin(i / 90) + 0.2 * rng.normal() + (planted ? 6 : 0);
    const vib = 1 + 0.1 * rng.normal();
    lines.push(`${t},${temp.toFixed(3)},${vib.toFixed(3)},${planted ? 1 : 0}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

function vigil(args: string[]): string {
  const r = runVigil(args);
  assert.equal(r.code, 0, r.err);
  return r.out;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-report-'));
  writeTabular(join(dir, 'tx.csv'));
  writeSeries(join(dir, 'machine.csv'));
  vigil(['fit', '--data', join(dir, 'tx.csv'), '--detector', 'zscore', '--label', 'label', '--id', 'id', '--out', join(dir, 'tx.vigil')]);
  vigil(['fit', '--data', join(dir, 'machine.csv'), '--detector', 'rolling-z', '--columns', 'temperature,vibration', '--out', join(dir, 'machine.vigil')]);
  // A fresh profile in the temporary folder (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(join(dir, 'chromium'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  canvases: number;
  errors: string[];
  requests: string[];
  text: string;
  tables: string[];
  bold: number;
}

async function open(path: string, shot?: string): Promise<Opened> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(path).href;
  await page.goto(url);
  // drawReport marks the body when every chart is drawn.
  await page.waitForFunction('document.body.dataset.charts !== undefined', undefined, { timeout: 20_000 });
  if (shot) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  }
  const out = {
    canvases: await page.locator('canvas').count(),
    errors,
    requests: requests.filter((r) => r !== url),
    text: await page.locator('body').innerText(),
    tables: await page.locator('table').evaluateAll((ts) => ts.map((t) => t.className)),
    bold: await page.locator('#model b, #top b').count(),
  };
  await page.close();
  return out;
}

test('a labelled tabular report: charts, ROC and PR, confusion matrix, cost, top anomalies explained, a hostile column name shown as text', { timeout: 120_000 }, async () => {
  const out = join(dir, 'tx.html');
  const said = vigil(['report', '--model', join(dir, 'tx.vigil'), '--data', join(dir, 'tx.csv'), '--label', 'label', '--id', 'id', '--cost-fn', '100', '--cost-fp', '2', '--budget', '8/day', '--out', out]);
  assert.match(said, /400 rows, \d+ alerts, ROC-AUC [01]\.\d{3}, PR-AUC [01]\.\d{3}, cost \d+/);
  const html = readFileSync(out, 'utf8');
  assert.ok(!html.includes(`${NASTY}`), 'the raw column name never appears in the page');
  assert.ok(html.length < 400_000, `${html.length} bytes`);
  const page = await open(out, 'report-tabular-labelled.png');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  // Histogram, ROC, PR.
  assert.equal(page.canvases, 3);
  for (const t of ['columns', 'confusion', 'cuts', 'top']) assert.ok(page.tables.includes(t), `table ${t} in ${page.tables.join(', ')}`);
  assert.match(page.text, /ROC, AUC [01]\.?\d*/);
  assert.match(page.text, /least cost on these rows/);
  assert.match(page.text, /alert budget 8\/day on these rows/);
  assert.ok(page.text.includes(NASTY), 'the column name is shown, as text');
  assert.ok(page.text.includes('<i>es</i>'), 'a category value is shown as text');
  assert.equal(page.bold, 0, 'no element was injected by a name or a value');
  assert.match(page.text, /tx\d+/, 'rows are named by the id column');
});

test('an unlabelled tabular report: the distribution and the top rows, no curves and no confusion matrix', { timeout: 120_000 }, async () => {
  const out = join(dir, 'tx-nolabel.html');
  vigil(['report', '--model', join(dir, 'tx.vigil'), '--data', join(dir, 'tx.csv'), '--out', out, '--top', '5']);
  const page = await open(out);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  assert.equal(page.canvases, 1);
  assert.ok(page.tables.includes('top') && !page.tables.includes('confusion'), page.tables.join(', '));
  assert.match(page.text, /Top 5 anomalies/);
  assert.match(page.text, /No labels/);
});

test('a series report: the time chart with anomalies and the threshold, with and without labels', { timeout: 120_000 }, async () => {
  const labelled = join(dir, 'machine.html');
  vigil(['report', '--model', join(dir, 'machine.vigil'), '--data', join(dir, 'machine.csv'), '--label', 'label', '--out', labelled]);
  const page = await open(labelled, 'report-series.png');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  // Histogram, ROC, PR, one chart per channel (temperature, vibration), the score track.
  assert.equal(page.canvases, 6);
  assert.ok(page.tables.includes('confusion') && page.tables.includes('top'));
  assert.match(page.text, /Series: temperature, vibration/);
  assert.match(page.text, /3000 steps drawn as \d+ points/);
  const plain = join(dir, 'machine-nolabel.html');
  vigil(['report', '--model', join(dir, 'machine.vigil'), '--data', join(dir, 'machine.csv'), '--out', plain]);
  const p2 = await open(plain);
  assert.deepEqual(p2.errors, []);
  assert.equal(p2.canvases, 4);
});

test('data that would break out of the page (a title, a kit approach, a channel) stays text', { timeout: 60_000 }, async () => {
  const data = buildReport({
    title: '</title><script>alert(1)</script>',
    modelSummary: { kind: 'series', detector: '<b>x</b>', options: { a: '</script>' }, threshold: { cutoff: 1 } },
    scores: [0, 2, 0.5, 3],
    threshold: 1,
    series: { t: [1, 2, 3, 4], value: [1, 5, 1, 6], name: '</script><b>' },
    comparisons: [{ name: '<b>kit</b>', pr_auc: 0.5, roc_auc: 0.9, precision: null, recall: 1, alerts_per_day: 2 }],
  });
  const path = join(dir, 'hostile.html');
  writeFileSync(path, renderReportHtml(data));
  const page = await open(path);
  assert.deepEqual(page.errors, []);
  assert.equal(page.bold, 0);
  assert.ok(page.text.includes('<b>kit</b>') && page.text.includes('</script><b>'));
  assert.equal(page.canvases, 3);
});

test('CLI mistakes are one line and status 2: missing model, missing data, wrong label column, unwritable --out', () => {
  const m = join(dir, 'tx.vigil');
  const d = join(dir, 'tx.csv');
  const o = join(dir, 'x.html');
  assertOneLineError(runVigil(['report', '--model', join(dir, 'none.vigil'), '--data', d, '--out', o]), /no such model file/);
  assertOneLineError(runVigil(['report', '--model', m, '--data', join(dir, 'none.csv'), '--out', o]), /none\.csv/);
  assertOneLineError(runVigil(['report', '--model', m, '--data', d, '--label', 'lable', '--out', o]), /lable/);
  assertOneLineError(runVigil(['report', '--model', m, '--data', d, '--out', join(dir, 'no-such-folder', 'r.html')]), /--out .*does not exist/);
  assertOneLineError(runVigil(['report', '--model', m, '--data', d, '--cost-fn', '5', '--out', o]), /--cost-fn and --cost-fp together/);
  assertOneLineError(runVigil(['report', '--model', m, '--data', d, '--budget', '5/day', '--rows-per-day', '0', '--out', o]), /--rows-per-day/);
  assertOneLineError(runVigil(['report', '--model', m, '--data', d, '--series', 'b', '--out', o]), /--series .*a tabular model/);
  assertOneLineError(runVigil(['report', '--model', join(dir, 'machine.vigil'), '--data', join(dir, 'tx.csv'), '--out', o]), /timestamp/);
});
