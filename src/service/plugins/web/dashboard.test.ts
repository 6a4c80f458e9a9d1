/**
 * The dashboard end to end: Debian's chromium (playwright-core, no browser download) against a real
 * `vigil serve --demo` child on a random loopback port with a temporary SQLite file (the harness in
 * e2e.ts). Screenshots of every page at laptop and phone width go to test-output/screenshots/ (git-ignored).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_ROOT } from './routes.js';
import { SCREENSHOTS, startE2E, until, type E2E, type Size } from './e2e.js';

let e2e: E2E;
let url: string;
let demoKey: string;
let otherKey: string;
let ADMIN: string;
const budgets: Record<string, unknown> = {};

const call = (path: string, key: string, body?: unknown): Promise<any> => e2e.call(path, key, body);
const open = (size: Size) => e2e.open(size);
const shoot = (page: Parameters<E2E['shoot']>[0], name: string, size: Size) => e2e.shoot(page, name, size);

before(async () => {
  e2e = await startE2E();
  ({ url, demoKey, admin: ADMIN } = e2e);
  // A second team with a stream of its own, to check that neither team sees the other's.
  otherKey = (await call('/v1/teams', ADMIN, { name: 'payments' })).key;
  const st = await call('/v1/streams', otherKey, { name: 'refund rate', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 3 } });
  const t0 = Date.now() - 60_000;
  await call(`/v1/streams/${st.id}/points`, otherKey, { points: Array.from({ length: 60 }, (_, i) => ({ t: t0 + i * 1000, value: Math.sin(i / 4) })) });
  // The demo's first anomalies come within about a minute; wait for them (a generous bound).
  await until(async () => (await call('/v1/me/overview', demoKey)).teams[0].streams.some((s: any) => s.anomaliesLastHour > 0), 180_000, 'the demo\'s first anomaly');
});

after(async () => {
  await e2e?.stop();
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, 'budgets.json'), JSON.stringify(budgets, null, 2) + '\n');
});

for (const size of ['laptop', 'phone'] as const) {
  test(`${size}: the demo key from #key= opens the team's live cards, then a stream's chart with its anomalies`, async () => {
    const { page, errors } = await open(size);
    const start = Date.now();
    await page.goto(`${url}/#key=${demoKey}`);
    await page.locator('.card').first().waitFor();
    if (size === 'laptop') budgets['firstRenderMs'] = Date.now() - start;
    assert.equal(new URL(page.url()).hash, '', 'the key is removed from the address bar');
    assert.equal(await page.evaluate('sessionStorage.getItem("vigil.key")'), demoKey);
    const names = await page.locator('.card h2').allTextContents();
    assert.deepEqual([...names].sort(), ['card transactions per merchant', 'machine-7 temperature and vibration', 'machine-7 vibration (artime)', 'web request rate and latency per host']);
    assert.ok(!names.includes('refund rate'), "the other team's stream is not shown");
    await page.locator('.spark canvas').first().waitFor();
    await shoot(page, 'team-overview', size);

    // Live: the "last point" of a card moves on without a reload.
    // Live: the cards' point counts grow from the event feed without a reload (a marker on window survives).
    await page.evaluate('window.__sameDocument = true');
    const seen = await page.evaluate('document.querySelectorAll(".card").length');
    await page.getByText('Live feed: last scored point').waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'no reload');
    assert.equal(await page.evaluate('document.querySelectorAll(".card").length'), seen);

    // Filter and sort.
    await page.getByLabel('Filter by name').fill('machine');
    assert.equal(await page.locator('.card').count(), 2);
    await page.getByLabel('Filter by name').fill('no such stream');
    await page.getByText(/No stream.s name contains/).waitFor();
    await page.getByLabel('Filter by name').fill('');
    await page.getByLabel('Sort by').selectOption('hour');

    // The stream with the most anomalies in the last hour (first after that sort).
    await page.locator('.card h2 a').first().click();
    await page.locator('.chart canvas').first().waitFor();
    await page.getByRole('heading', { name: /Anomalies in view \([1-9]/ }).waitFor({ timeout: 30_000 });
    const marked = await page.locator('.anomalies li').count();
    assert.ok(marked >= 1, 'anomalies are listed and marked');
    await page.locator('.anomalies button').first().click();
    await page.locator('.detail dl').first().waitFor();
    const detail = await page.locator('.detail').textContent();
    assert.match(detail!, /Anomaly/);
    assert.match(detail!, /threshold/);
    assert.match(detail!, /model version\s*\d/);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Whole series' }).click();
    await shoot(page, 'stream', size);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${size}: a wrong key says so in words; the admin token opens the organisation with both teams`, async () => {
    const { page, errors } = await open(size);
    await page.goto(`${url}/`);
    await page.getByLabel('API key').fill('vk_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent())!, /not known to this service/);
    await shoot(page, 'sign-in-wrong-key', size);
    // The browser itself logs the refused request (401); that is the only console error allowed here.
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
    errors.length = 0;

    await page.getByLabel('API key').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Organisation' }).waitFor();
    const teams = await page.locator('.team h2').allTextContents();
    assert.deepEqual(teams.sort(), ['demo', 'payments']);
    const payments = page.locator('.team', { has: page.getByRole('heading', { name: 'payments' }) });
    assert.match((await payments.textContent())!, /refund rate/);
    assert.doesNotMatch((await payments.textContent())!, /machine-7/);
    await shoot(page, 'organisation', size);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the other team's key sees its own stream only", async () => {
  const { page, errors } = await open('laptop');
  await page.goto(`${url}/#key=${otherKey}`);
  await page.locator('.card').first().waitFor();
  assert.deepEqual(await page.locator('.card h2').allTextContents(), ['refund rate']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first view loads under 150 KB of gzipped JavaScript', () => {
  const html = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  assert.ok(scripts.length >= 1);
  const gz = scripts.reduce((n, f) => n + gzipSync(readFileSync(join(WEB_ROOT, f))).length, 0);
  budgets['firstViewJsGzipBytes'] = gz;
  assert.ok(gz < 150 * 1024, `${gz} bytes`);
});
