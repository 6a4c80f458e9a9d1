/**
 * A recalibration from feedback (or any change of only the threshold to a fixed value) keeps the
 * detector's state: the points after it score exactly as on a twin stream that was never
 * recalibrated, with no new warm-up, and are judged by the new threshold; across a restart too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, testServer, waitScored, type TestServer } from './test-server.js';

const T0 = Date.UTC(2026, 11, 1, 10);
const signal = (from: number, n: number, spikes: Record<number, number> = {}) =>
  Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return { t: T0 + i * 1000, value: spikes[i] ?? Math.sin(i / 3) * 0.5 + (i % 5) * 0.05 + (i % 7 === 3 ? 0.4 : 0) };
  });

let s: TestServer;
let key: string;
before(async () => {
  s = await testServer();
  key = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'recal' } })).body.key;
});
after(() => s.stop());

const spec = { detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 1.2 } };

async function post(id: string, points: unknown[]): Promise<void> {
  const r = await s.call('POST', `/v1/streams/${id}/points`, { key, body: { points } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
}

/** The twin's and the recalibrated stream's points from `from` on: same scores, the recalibrated one judged by `threshold`. */
async function assertSameDetector(a: string, b: string, total: number, from: number, threshold: number): Promise<void> {
  const pa = (await waitScored(s, key, a, total)).filter((p) => p.t >= T0 + from * 1000);
  const pb = (await waitScored(s, key, b, total)).filter((p) => p.t >= T0 + from * 1000);
  assert.equal(pa.length, pb.length);
  assert.ok(pa.length > 0);
  for (let i = 0; i < pa.length; i++) {
    assert.equal(pa[i].score, pb[i].score, `point ${from + i}: the detector went on where it was (no reset)`);
    assert.equal(pa[i].threshold, threshold, `point ${from + i}: judged by the new threshold at once (no warm-up)`);
    assert.equal(pa[i].anomaly, pa[i].score > threshold);
  }
}

test('recalibrating from feedback changes only the threshold: no warm-up again, the same scores as without it, across a restart', async () => {
  const a = (await s.call('POST', '/v1/streams', { key, body: { name: 'recalibrated', ...spec } })).body.id;
  const b = (await s.call('POST', '/v1/streams', { key, body: { name: 'twin', ...spec } })).body.id;
  const first = signal(0, 120, { 110: 40 });
  await post(a, first);
  await post(b, first);
  const pts = await waitScored(s, key, a, 120);
  const spike = pts.find((p) => p.t === T0 + 110_000);
  const normals = pts.filter((p) => p.anomaly && p !== spike);
  assert.ok(spike.anomaly && normals.length >= 2, `false alarms to correct (${normals.length})`);
  for (const p of normals) assert.equal((await s.call('POST', `/v1/streams/${a}/feedback`, { key, body: { t: p.t, label: 'normal' } })).status, 201);
  assert.equal((await s.call('POST', `/v1/streams/${a}/feedback`, { key, body: { t: spike.t, label: 'anomaly' } })).status, 201);

  const rc = await s.call('POST', `/v1/streams/${a}/recalibrate`, { key });
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.ok(rc.body.changed && rc.body.separable);
  assert.equal(rc.body.modelVersion, 2);
  const second = signal(120, 60, { 150: 40 });
  await post(a, second);
  await post(b, second);
  await assertSameDetector(a, b, 180, 120, rc.body.threshold);
  const after = await waitScored(s, key, a, 180);
  assert.ok(after.filter((p) => p.t >= T0 + 120_000).every((p) => p.modelVersion === 2));
  assert.ok(after.find((p) => p.t === T0 + 150_000).anomaly, 'a new spike is still flagged');

  // A threshold-only change, then a restart before any point reaches it: the checkpoint goes on under it.
  const patched = await s.call('PATCH', `/v1/streams/${a}`, { key, body: { threshold: { kind: 'value', value: 2.5 } } });
  assert.equal(patched.body.modelVersion, 3);
  const dir = s.dir;
  await s.svc.close();
  s = await testServer({}, dir);
  const third = signal(180, 60, { 200: 40 });
  await post(a, third);
  await post(b, third);
  await assertSameDetector(a, b, 240, 180, 2.5);

  // Any other change is a fresh start: a new window means a new warm-up.
  await s.call('PATCH', `/v1/streams/${a}`, { key, body: { options: { window: 10 } } });
  await post(a, signal(240, 10));
  const fresh = (await waitScored(s, key, a, 250)).filter((p) => p.t >= T0 + 240_000);
  assert.ok(fresh.every((p) => p.threshold === null && p.modelVersion === 4), 'a new detector warms up');
});
