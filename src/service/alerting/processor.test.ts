/**
 * The alert processor's one turn: the quiet timer and the scorer's batches read, change and
 * commit a stream's alerter state whole, one after the other, so a quiet resolution and a point
 * for the same stream that arrive together both stay in the state. (The service runs one
 * processor, beside its scorer, so this turn is the only place the two could meet.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamAlerter } from '../../alerting/index.js';
import { EventBus } from '../events/bus.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { PointScore, Storage, StoredPoint } from '../storage/storage.js';
import { AlertProcessor } from './processor.js';

const T0 = Date.UTC(2026, 11, 1);
const QUIET_MS = 600_000;

/** `target` with one property replaced (methods of the rest bound to it). */
function replacing<T extends object>(target: T, name: keyof T, value: unknown): T {
  return new Proxy(target, {
    get: (t, prop) => {
      if (prop === name) return value;
      const v: unknown = Reflect.get(t, prop, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

/** Storage whose alerter reads answer a turn of the event loop late, so two read-modify-writes not kept apart would both read the old state. */
const lateAlerterReads = (st: SqliteStorage): Storage =>
  replacing(st, 'alerting', replacing(st.alerting, 'loadAlerter', async (id: string) => (await new Promise((r) => setImmediate(r)), st.alerting.loadAlerter(id))));

const anomaly = (row: StoredPoint): PointScore => ({ seq: row.seq, score: 9, anomaly: true, threshold: 3, channels: null, modelVersion: 1, error: null });

test('a quiet resolution and a point for the same stream, at once: both are kept in the alerter state and the incidents', async () => {
  const st = new SqliteStorage(':memory:');
  try {
    await st.createTeam({ id: 't', name: 't', createdAt: 0 });
    await st.createStream({ id: 's', teamId: 't', name: 's', spec: {}, modelVersion: 1, specSeq: 0, channels: null, createdAt: 0, updatedAt: 0 });
    let now = 1_000_000;
    const logs: string[] = [];
    const p = new AlertProcessor(lateAlerterReads(st), new EventBus(), () => {}, (m) => logs.push(m), { clock: () => now });

    // Series a opens an incident.
    await st.appendPoints('s', [{ t: T0, key: 'a', values: { value: 9 } }]);
    const [a] = await st.pointsAfter(0, 10);
    await p.onScored([a!], [anomaly(a!)]);
    const first = (await st.alerting.listIncidents({ teamId: 't', streamId: 's', limit: 10 }))[0]!;
    assert.equal(first.status, 'open');

    // The quiet period passes on the clock; the timer looks just as a (late) point of series b comes in.
    now += QUIET_MS + 1000;
    await st.appendPoints('s', [{ t: T0 + 1000, key: 'b', values: { value: 9 } }]);
    const [b] = await st.pointsAfter(a!.seq, 10);
    await Promise.all([p.tick(), p.onScored([b!], [anomaly(b!)])]);
    await p.stop();

    const cp = (await st.alerting.loadAlerter('s'))!;
    assert.equal(cp.seq, b!.seq, 'the point is in the state');
    assert.deepEqual(StreamAlerter.fromJSON(cp.state).openIncidents().map((i) => i.key), ['b'], "the resolution is in the state: a's incident is not open there");
    const incidents = await st.alerting.listIncidents({ teamId: 't', streamId: 's', limit: 10 });
    assert.deepEqual(incidents.map((i) => [i.key, i.status, i.resolvedAt]).sort(), [
      ['a', 'resolved', T0 + QUIET_MS],
      ['b', 'open', null],
    ]);
    assert.deepEqual(logs, []);
  } finally {
    await st.close();
  }
});
