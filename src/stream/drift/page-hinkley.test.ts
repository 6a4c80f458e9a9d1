import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/random.js';
import { PageHinkley } from './page-hinkley.js';

const opts = { delta: 0.5, lambda: 50 };

test('page-hinkley: fires within a bounded delay after a mean shift (up and down)', () => {
  for (const [seed, shift] of [[1, 3], [2, -3], [3, 2]] as const) {
    const rng = new Rng(seed);
    const ph = new PageHinkley(opts);
    for (let i = 0; i < 2000; i++) assert.equal(ph.update(rng.normal()), false, `false alarm at ${i}`);
    let delay = -1;
    for (let i = 0; i < 500; i++) {
      if (ph.update(shift + rng.normal())) {
        delay = i;
        break;
      }
    }
    // Expected delay ≈ λ / (|shift| - δ): 20 for shift 3, 33 for shift 2.
    assert.ok(delay >= 0 && delay <= 60, `shift ${shift}: delay ${delay}`);
  }
});

test('page-hinkley: no drift on 200,000 stationary seeded points', () => {
  const rng = new Rng(7);
  const ph = new PageHinkley(opts);
  let fired = 0;
  for (let i = 0; i < 200_000; i++) if (ph.update(5 + rng.normal())) fired++;
  assert.equal(fired, 0);
});

test('page-hinkley: JSON round trip continues identically', () => {
  const rng = new Rng(9);
  const xs = Array.from({ length: 3000 }, (_, i) => (i > 1500 ? 2 : 0) + rng.normal());
  const a = new PageHinkley(opts);
  xs.slice(0, 1000).forEach((x) => a.update(x));
  const b = PageHinkley.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.deepEqual(xs.slice(1000).map((x) => b.update(x)), xs.slice(1000).map((x) => a.update(x)));
});
