import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStreamScorer } from '../../stream/scorer/index.js';
import { ADMIN, testServer } from '../test-server.js';
import { DEMO_STREAMS } from './demo.js';
import { machine } from './telemetry.js';

test('the demo telemetry is seeded: the same seed gives the same points', () => {
  const a = machine(3, 600_000);
  const b = machine(3, 600_000);
  for (let n = 0; n < 100; n++) assert.deepEqual(a.step(n), b.step(n));
  assert.notDeepEqual(machine(4, 600_000).step(0), machine(3, 600_000).step(0));
});

test("the demo's detectors flag the injected faults of the first minute and little else", async () => {
  for (const d of DEMO_STREAMS) {
    const src = d.source(7);
    const scorer = createStreamScorer(d.spec);
    const steps = src.hz * 60; // the first minute
    const flagged: number[] = [];
    for (let n = 0; n < steps; n++) {
      const points = src.step(n).map((p) => ({ t: n, key: p.key, values: p.values }));
      for (const r of await scorer.pushMany(points)) if (r.anomaly) flagged.push(n / src.hz);
    }
    if (d.spec['detector'] === 'artime') continue; // its stuck-sensor fault comes after the first minute
    assert.ok(flagged.length > 0, `${d.name}: an anomaly in the first minute`);
    assert.ok(flagged.length < steps * 0.2, `${d.name}: ${flagged.length} of ${steps} steps flagged`);
  }
});

test('serve --demo makes the demo team with its streams, fed live, and prints a key that reads them', async () => {
  const s = await testServer({ demo: true });
  try {
    const demo = s.svc.demo!;
    assert.equal(demo.streams.length, DEMO_STREAMS.length);
    const list = await s.call('GET', '/v1/streams', { key: demo.key });
    assert.deepEqual(list.body.streams.map((x: any) => x.name).sort(), DEMO_STREAMS.map((d) => d.name).sort());
    let n = 0;
    for (let i = 0; i < 200 && n === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      n = (await s.call('GET', `/v1/streams/${demo.streams[0]!.id}/points`, { key: demo.key })).body.points.length;
    }
    assert.ok(n > 0, 'points arrive');
    const o = await s.call('GET', '/v1/overview', { key: ADMIN });
    assert.ok(o.body.teams.some((t: any) => t.name === 'demo'));
  } finally {
    await s.stop();
  }
});
