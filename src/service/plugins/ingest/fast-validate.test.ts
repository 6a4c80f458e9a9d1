import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../core/random.js';
import { fastIngestBody, ingestValidatorCompiler } from './fast-validate.js';
import { ingestBody } from './schemas.js';

const T0 = 1764583200000;

/** A point the schema accepts, in one of its shapes. */
function goodPoint(r: Rng, i: number): Record<string, unknown> {
  const p: Record<string, unknown> = { t: r.int(3) === 0 ? new Date(T0 + i * 1000).toISOString() : T0 + i * 1000 };
  if (r.int(2)) p['key'] = `host-${r.int(5)}`;
  if (r.int(3)) p['value'] = r.normal();
  else p['values'] = Object.fromEntries(Array.from({ length: 1 + r.int(3) }, (_, c) => [`c${c}`, r.normal()]));
  return p;
}

/** Ways a point can be wrong, or nearly wrong (each kept if the schema accepts it). */
const MUTATIONS: ((p: Record<string, unknown>, r: Rng) => unknown)[] = [
  (p) => ({ ...p, extra: 1 }),
  (p) => ({ ...p, key: null }),
  (p) => ({ ...p, key: 7 }),
  (p) => ({ ...p, key: 'k'.repeat(200) }),
  (p) => ({ ...p, key: 'k'.repeat(201) }),
  (p) => ({ ...p, key: '' }),
  (p) => ({ ...p, t: '2026-12-01T10:00:00' }),
  (p) => ({ ...p, t: '2026-12-01T10:00:00+01:00' }),
  (p) => ({ ...p, t: '2026-12-01T10:00:00.123Z' }),
  (p) => ({ ...p, t: 'yesterday' }),
  (p) => ({ ...p, t: String(T0) }),
  (p) => ({ ...p, t: true }),
  (p) => ({ ...p, t: null }),
  (p) => ({ ...p, t: -5 }),
  (p) => ({ ...p, t: 1.5 }),
  (p) => {
    const { t: _t, ...rest } = p;
    return rest;
  },
  (p) => ({ t: p['t'] }),
  (p) => ({ ...p, value: 1, values: { a: 1 } }),
  (p) => ({ t: p['t'], value: 'NaN' }),
  (p) => ({ t: p['t'], value: null }),
  (p) => ({ t: p['t'], value: -0 }),
  (p) => ({ t: p['t'], value: 1e308 }),
  (p) => ({ t: p['t'], values: {} }),
  (p) => ({ t: p['t'], values: [1, 2] }),
  (p) => ({ t: p['t'], values: null }),
  (p) => ({ t: p['t'], values: { a: '1' } }),
  (p) => ({ t: p['t'], values: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`c${i}`, i])) }),
  (p) => ({ t: p['t'], values: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`c${i}`, i])) }),
  () => null,
  () => [1],
  () => 'point',
  (p) => ({ ...p, value: undefined, values: undefined }),
];

/** A body: mostly good points, sometimes one or more mutated, sometimes a wrong envelope. */
function body(r: Rng): unknown {
  const n = r.int(8) === 0 ? 0 : 1 + r.int(20);
  const points: unknown[] = Array.from({ length: n }, (_, i) => goodPoint(r, i));
  const bad = r.int(3);
  for (let b = 0; b < bad && n > 0; b++) {
    const i = r.int(n);
    points[i] = MUTATIONS[r.int(MUTATIONS.length)]!(points[i] as Record<string, unknown>, r);
  }
  switch (r.int(12)) {
    case 0:
      return { points, more: 1 };
    case 1:
      return { points: 'x' };
    case 2:
      return points;
    default:
      return { points };
  }
}

/** The route's validator as Fastify compiles it for the body. */
const routeValidate = ingestValidatorCompiler({ schema: ingestBody, method: 'POST', url: '/v1/streams/:id/points', httpPart: 'body' }) as (
  data: unknown,
) => { value?: unknown; error?: { instancePath: string; message?: string }[] };

test('the fast path accepts only what the schema accepts, with an equal value; the route gives the schema answer for every body', () => {
  const r = new Rng(15);
  let fastAccepted = 0;
  let refused = 0;
  for (let i = 0; i < 4000; i++) {
    const b = body(r);
    const json = JSON.stringify(b);
    const bySchema = ingestBody.safeParse(JSON.parse(json));
    const fast = fastIngestBody(JSON.parse(json));
    if (fast) {
      fastAccepted++;
      assert.ok(bySchema.success, `the fast path accepted what the schema refuses: ${json}`);
      assert.deepEqual(fast, bySchema.data, json);
    }
    const route = routeValidate(JSON.parse(json));
    if (bySchema.success) {
      assert.deepEqual(route.value, bySchema.data, json);
    } else {
      refused++;
      // The same first bad point and field, and message, as the schema alone gives.
      const issue = bySchema.error.issues[0]!;
      const first = route.error![0]!;
      assert.equal(first.instancePath, '/' + issue.path.join('/'), json);
      assert.equal(first.message, issue.message, json);
    }
  }
  // The generated bodies exercise both sides.
  assert.ok(fastAccepted > 1000, `fast path accepted ${fastAccepted}`);
  assert.ok(refused > 1000, `refused ${refused}`);
});

test('the fast path reads ISO times as the schema does, and leaves a refused body as it came', () => {
  const ok = { points: [{ t: '2026-12-01T10:00:00+01:00', value: 1 }, { t: T0, key: 'a', values: { x: 1, y: 2 } }] };
  assert.deepEqual(fastIngestBody(structuredClone(ok)), ingestBody.parse(structuredClone(ok)));
  const bad = { points: [{ t: '2026-12-01T10:00:00Z', value: 1 }, { t: T0, value: 'x' }] };
  const copy = structuredClone(bad);
  assert.equal(fastIngestBody(copy), null);
  assert.deepEqual(copy, bad);
});
