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
  await until(async () => (await call('/v1/incidents?state=open', demoKey)).incidents.length > 0, 180_000, "the demo's first open incident");
});

after(async () => {
  await e2e?.stop();
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, 'budgets.json'), JSON.stringify(budgets, null, 2) + '\n');
});

for (const size of ['laptop', 'phone'] as const) {
  test(`${size}: the demo key from #key= opens the team's live cards, then a stream's chart with its anomalies`, async () => {
    const { page, errors } = await open(size);
    await page.goto(`${url}/#key=${demoKey}`);
    await page.locator('.card').first().waitFor();
    // Measured, not asserted (speed is the bench's business): the page's own clock from navigation to its first card.
    budgets[`firstRenderMs-${size}`] = Math.round(await page.evaluate('performance.now()'));
    assert.equal(new URL(page.url()).hash, '', 'the key is removed from the address bar');
    assert.equal(await page.evaluate('sessionStorage.getItem("vigil.key")'), demoKey);
    const names = await page.locator('.card h2').allTextContents();
    assert.deepEqual([...names].sort(), ['card transactions per merchant', 'machine-7 temperature and vibration', 'machine-7 vibration (artime)', 'web request rate and latency per host']);
    assert.ok(!names.includes('refund rate'), "the other team's stream is not shown");
    await page.locator('.spark canvas').first().waitFor();

    // Live: the cards' point counts grow from the event feed without a reload (a marker on window survives).
    await page.evaluate('window.__sameDocument = true');
    const seen = await page.evaluate('document.querySelectorAll(".card").length');
    const pointsNow = (): Promise<number> => page.evaluate('[...document.querySelectorAll(".card")].reduce((n, c) => n + Number(c.dataset.points), 0)');
    const before = await pointsNow();
    await page.getByText('Live feed: last scored point').waitFor({ timeout: 60_000 });
    await until(async () => (await pointsNow()) > before, 60_000, 'the cards to count new points');
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'no reload');
    assert.equal(await page.evaluate('document.querySelectorAll(".card").length'), seen);
    await shoot(page, 'team-overview', size);
    await e2e.axe(page);

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
    assert.match(detail!, /drove it/);

    // A false positive: mark it normal, and find the label through the API (the feedback list and the point).
    const streamId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const labelsBefore = (await call(`/v1/streams/${streamId}/feedback`, demoKey)).feedback.length;
    await page.getByRole('button', { name: 'Mark normal' }).click();
    await page.getByText('Labelled normal').waitFor();
    const fb = (await call(`/v1/streams/${streamId}/feedback`, demoKey)).feedback;
    assert.equal(fb.length, labelsBefore + 1);
    assert.equal(fb[0].label, 'normal');
    assert.equal(fb[0].from, fb[0].to, 'one point');
    const q = new URLSearchParams({ from: String(fb[0].from), limit: '1', ...(fb[0].key ? { key: fb[0].key } : {}) });
    const [point] = (await call(`/v1/streams/${streamId}/points?${q}`, demoKey)).points;
    assert.equal(point.t, fb[0].from);
    assert.equal(point.label, 'normal');
    // ... and drawn on the chart (a band; the line under the chart counts the labels in view).
    await page.getByText(/Labels in view: [1-9]\d* marked normal/).waitFor();

    // The address carries the range: zooming changes from/to, and a reload shows the same range.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await until(() => new URL(page.url()).searchParams.has('from'), 10_000, 'from in the address');
    await page.getByRole('button', { name: 'Whole series' }).click();
    await shoot(page, 'stream', size);
    await e2e.axe(page);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${size}: the incidents page lists incidents; acknowledge stores it; the link opens the stream at that time with the incident and its feedback buttons`, async () => {
    const { page, errors } = await open(size);
    await page.goto(`${url}/#key=${demoKey}`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    await page.locator('.incident-item').first().waitFor({ timeout: 30_000 });
    const unacked = page.locator('.incident-item', { has: page.getByRole('button', { name: 'Acknowledge' }) }).first();
    await unacked.waitFor({ timeout: 60_000 });
    const id = (await unacked.getAttribute('data-id'))!;
    // The same incident after its button is gone.
    const item = page.locator(`.incident-item[data-id=${JSON.stringify(id)}]`);
    assert.equal((await call(`/v1/incidents/${encodeURIComponent(id)}`, demoKey)).ackedAt, null);
    assert.match((await item.textContent())!, /severity/);
    assert.match((await item.textContent())!, /duration/);
    await shoot(page, 'incidents', size);
    await e2e.axe(page);
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await item.getByText('open, acknowledged').or(item.getByText('resolved')).first().waitFor();
    assert.notEqual((await call(`/v1/incidents/${encodeURIComponent(id)}`, demoKey)).ackedAt, null, 'the acknowledgement is stored');

    await item.getByRole('link', { name: /Show on the stream's chart/ }).click();
    await page.locator('.chart canvas').first().waitFor();
    const at = new URL(page.url());
    assert.ok(Number(at.searchParams.get('from')) < Number(at.searchParams.get('to')), 'the address carries from and to');
    await page.getByRole('heading', { name: 'Incident', level: 2, exact: true }).waitFor();
    const incident = await call(`/v1/incidents/${encodeURIComponent(id)}`, demoKey);
    assert.ok(Number(at.searchParams.get('from')) <= incident.openedAt && incident.openedAt <= Number(at.searchParams.get('to')), 'the range holds the incident');
    await page.locator('.detail').getByRole('button', { name: 'Confirm anomaly' }).click();
    await page.locator('.detail').getByText('Labelled a real anomaly').waitFor();
    const fb = (await call(`/v1/streams/${incident.streamId}/feedback`, demoKey)).feedback;
    assert.ok(fb.some((f: any) => f.incidentId === id && f.label === 'anomaly'), 'the incident label is stored');
    await shoot(page, 'stream-incident', size);
    await e2e.axe(page);
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
    await e2e.axe(page);
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
    const demo = page.locator('.team', { has: page.getByRole('heading', { name: 'demo' }) });
    assert.match((await demo.textContent())!, /Open incidents: \d+/);
    await shoot(page, 'organisation', size);
    await e2e.axe(page);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the other team's key sees its own stream only; a stream with no points yet says so", async () => {
  const { page, errors } = await open('laptop');
  await page.goto(`${url}/#key=${otherKey}`);
  await page.locator('.card').first().waitFor();
  assert.deepEqual(await page.locator('.card h2').allTextContents(), ['refund rate']);
  const empty = await call('/v1/streams', otherKey, { name: 'chargebacks', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 3 } });
  await page.goto(`${url}/streams/${empty.id}`);
  await page.getByText(/No points yet\. Send some with POST/).waitFor();
  await page.getByText('No scored points in this range yet.').waitFor();
  await e2e.axe(page);
  await shoot(page, 'stream-empty', 'laptop');
  await page.goto(`${url}/`);
  await page.locator('.card', { hasText: 'chargebacks' }).getByText('No points yet.').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a keyed stream shows one series or the worst few together; every control is reached by the keyboard with a visible focus', async () => {
  const { page, errors } = await open('laptop');
  await page.goto(`${url}/#key=${demoKey}`);
  await page.getByRole('link', { name: 'web request rate and latency per host' }).click();
  await page.locator('.chart canvas').first().waitFor();
  const st = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const keys = (await call(`/v1/streams/${st}/keys`, demoKey)).keys as { key: string; anomalies: number; points: number }[];
  assert.ok(keys.length >= 2, `${keys.length} series`);
  // Which series are the worst can change while the demo runs: count lines, not names.
  const few = Math.min(3, keys.length);
  await page.getByLabel('Series').selectOption({ label: `the ${few} with the most anomalies, together` });
  await until(async () => {
    const legend = (await page.locator('.chart .u-legend').first().textContent()) ?? '';
    return keys.filter((k) => legend.includes(k.key)).length === few;
  }, 30_000, 'a line for each of the worst series');
  await page.getByLabel('Series').selectOption({ index: 1 });
  await page.locator('.chart canvas').first().waitFor();
  // Tab from the top of the page: the zoom buttons, the series selector and the anomaly list are reached, each with a focus ring.
  await page.locator('body').focus();
  const reached = new Set<string>();
  for (let i = 0; i < 60 && !reached.has('Whole series'); i++) {
    await page.keyboard.press('Tab');
    const f = (await page.evaluate('(() => { const e = document.activeElement; const s = getComputedStyle(e); return { name: e === document.body ? "" : e.getAttribute("aria-label") || e.textContent.trim(), outline: s.outlineStyle, width: s.outlineWidth }; })()')) as { name: string; outline: string; width: string };
    if (f.name === '') continue; // the document itself, when focus wraps round
    assert.notEqual(f.outline, 'none', `focus on ${f.name} is visible`);
    reached.add(f.name);
  }
  for (const name of ['Streams', 'Incidents', 'Zoom in', 'Pan earlier', 'Whole series']) assert.ok(reached.has(name), `${name} is reached by Tab: ${[...reached].join(' | ')}`);
  await page.keyboard.press('Enter');
  // A click on the chart opens that point's details.
  const over = page.locator('.chart .u-over').first();
  const box = (await over.boundingBox())!;
  await over.hover({ position: { x: box.width / 2, y: box.height / 2 } });
  await over.click({ position: { x: box.width / 2, y: box.height / 2 } });
  await page.locator('.detail dl').getByText('model version').waitFor();
  assert.match((await page.locator('.detail').textContent())!, /score.*threshold/s);

  assert.deepEqual(errors, []);
  await page.close();
});

test('a stream of 100,000 points draws from downsampled reads with every anomaly listed; zooming reads the range again', async () => {
  const key = (await call('/v1/teams', ADMIN, { name: 'bulk' })).key;
  const st = await call('/v1/streams', key, { name: 'hundred thousand', detector: 'rolling-z', options: { window: 50 }, warmup: 100, threshold: { kind: 'value', value: 8 } });
  const T = Date.UTC(2026, 0, 1);
  // A seeded wobble with a spike every 10,000 points (10 anomalies), one point a second.
  const points = Array.from({ length: 100_000 }, (_, i) => ({ t: T + i * 1000, value: Math.sin(i / 300) + ((i * 7919) % 101) / 500 + (i % 10_000 === 5_000 ? 40 : 0) }));
  await call(`/v1/streams/${st.id}/points`, key, { points });
  await until(async () => (await call('/v1/me/overview', key)).teams[0].streams[0].scored >= 100_000, 300_000, 'the 100,000 points to be scored');
  const anomalies = (await call(`/v1/streams/${st.id}/keys`, key)).keys[0].anomalies;
  assert.ok(anomalies >= 10, `${anomalies} anomalies`);

  const { page, errors } = await open('laptop');
  await page.goto(`${url}/#key=${key}`);
  await page.locator('.card').first().waitFor();
  const reads: number[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/series?') && r.url().includes(st.id)) void r.json().then((b: any) => reads.push(b.rows.length), () => undefined);
  });
  const start = Date.now();
  await page.getByRole('link', { name: 'hundred thousand' }).click();
  await page.getByText('100,000 points in view').waitFor({ timeout: 60_000 });
  await page.locator('.chart canvas').first().waitFor();
  budgets['stream100kFirstChartMs'] = Date.now() - start;
  await page.getByRole('heading', { name: `Anomalies in view (${anomalies})` }).waitFor();
  assert.ok(reads.length >= 1 && reads.every((n) => n <= 2 * 4000 + anomalies), `rows per read: ${reads}`);
  const zoom = Date.now();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByText(/^.*· (4\d,\d{3}|5\d,\d{3}) points in view/).waitFor({ timeout: 60_000 });
  budgets['stream100kZoomMs'] = Date.now() - zoom;
  await shoot(page, 'stream-100k', 'laptop');
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
