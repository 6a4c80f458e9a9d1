/**
 * Through the outbox to a local webhook receiver: an acknowledged incident sends nothing more
 * until it resolves (then the next incident alerts again), and the incidents of a stream that goes
 * silent resolve by the quiet timer. The timer runs where scoring-time alerting does (in the
 * scorer's thread, or in process on ':memory:') and reads the test's clock there (a SharedClock:
 * memory both threads read), so nothing here depends on how fast the machine is; waits poll with
 * generous bounds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, testServer, waitScored, type TestServer } from '../test-server.js';
import { ScorerThread } from '../scoring/thread-host.js';
import { SharedClock } from './shared-clock.js';
import { TestReceiver, until } from './test-receiver.js';

const T0 = Date.UTC(2026, 11, 1, 10);
const quietValue = (i: number) => Math.sin(i / 3) * 0.5 + (i % 5) * 0.05;
const signal = (from: number, to: number, spikes: Record<number, number> = {}) =>
  Array.from({ length: to - from }, (_, j) => ({ t: T0 + (from + j) * 1000, value: spikes[from + j] ?? quietValue(from + j) }));

let s: TestServer;
let rx: TestReceiver;
let key: string;
const clock = SharedClock.at(Date.now());

/** A stream with its own sink and rule: first alerts are info, a score of 1000 or more is a warning. */
async function alertedStream(name: string): Promise<{ id: string; sink: string }> {
  const id = (await s.call('POST', '/v1/streams', { key, body: { name, detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 4 } } })).body.id;
  const sink = (await s.call('POST', '/v1/sinks', { key, body: { name: `${name}-hook`, url: rx.url } })).body.id;
  const rule = await s.call('POST', `/v1/streams/${id}/rules`, { key, body: { sinks: [sink], quietSeconds: 60, severity: { by: 'score', warning: 1000, critical: 1e12 } } });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  return { id, sink };
}

const post = async (id: string, points: unknown[]) => assert.equal((await s.call('POST', `/v1/streams/${id}/points`, { key, body: { points } })).status, 202);
const deliveries = async (sink: string): Promise<any[]> => (await s.call('GET', `/v1/sinks/${sink}/deliveries`, { key })).body.deliveries;
const settled = (sink: string, n: number) =>
  until(`${n} deliveries to ${sink}`, async () => {
    const d = await deliveries(sink);
    return d.length >= n && d.every((x) => x.status === 'delivered') && d;
  });
const received = (sink: string, ds: any[]) => rx.received.filter((r) => ds.some((d) => d.sinkId === sink && JSON.parse(r.body).id === d.idempotencyKey));

async function acknowledged(): Promise<void> {
  const acked = await alertedStream('acked');
  const twin = await alertedStream('twin');
  // A first anomaly (an info alert), then the acknowledgement, then one far worse (a warning: an escalation).
  for (const st of [acked, twin]) await post(st.id, signal(0, 46, { 45: 5 }));
  for (const st of [acked, twin]) await settled(st.sink, 1);
  const inc = (await s.call('GET', `/v1/incidents?stream=${acked.id}`, { key })).body.incidents[0];
  assert.equal((await s.call('POST', `/v1/incidents/${encodeURIComponent(inc.id)}/ack`, { key })).status, 200);

  // The escalation, then quiet: after 60 s of the points' time the incident resolves; then a new burst.
  const rest = [...signal(46, 60, { 46: 1e6 }), ...signal(200, 262, { 261: 1e6 })];
  for (const st of [acked, twin]) await post(st.id, rest);
  const twinD = await settled(twin.sink, 4);
  assert.deepEqual(twinD.map((d) => d.event), ['alert-fired', 'alert-escalated', 'alert-resolved', 'alert-fired'], 'unacknowledged: every change is told');
  const ackedD = await settled(acked.sink, 3);
  await waitScored(s, key, acked.id, 46 + rest.length);
  assert.deepEqual((await deliveries(acked.sink)).map((d) => d.event), ['alert-fired', 'alert-resolved', 'alert-fired'], 'acknowledged: no escalation, the resolution, then the new incident');
  const bodies = received(acked.sink, ackedD).map((r) => JSON.parse(r.body));
  assert.equal(bodies.length, 3, 'the receiver got exactly these');
  assert.equal(bodies[1].incident.id, inc.id);
  assert.ok(bodies[1].incident.ackedAt, 'the resolution carries the acknowledgement');
  assert.notEqual(bodies[2].incident.id, inc.id);
  assert.equal(bodies[2].incident.ackedAt, null);
  const incidents = (await s.call('GET', `/v1/incidents?stream=${acked.id}`, { key })).body.incidents;
  assert.deepEqual(incidents.map((i: any) => i.status).sort(), ['open', 'resolved']);
}

async function silent(): Promise<void> {
  const st = await alertedStream('silent');
  await post(st.id, signal(0, 50, { 45: 5, 46: 6 }));
  // One request is one commit, which the scorer reads in one batch: once its alert is out, its
  // alerting (which read the clock for the stream's time) is done, before the clock moves.
  const [fired] = await settled(st.sink, 1);
  assert.equal(fired.event, 'alert-fired');
  const open = (await s.call('GET', `/v1/incidents?stream=${st.id}`, { key })).body.incidents[0];
  assert.equal(open.status, 'open');

  // Half the quiet period on the clock, and the timer looking several times: still open.
  clock.advance(30_000);
  const reads = clock.reads;
  await until('the quiet timer to look a few times', async () => clock.reads >= reads + 5);
  assert.equal((await s.call('GET', `/v1/incidents/${encodeURIComponent(open.id)}`, { key })).body.status, 'open');

  // Past the quiet period: resolved without another point, at the end of its quiet period, and told.
  clock.advance(31_000);
  const done = await settled(st.sink, 2);
  assert.deepEqual(done.map((d) => d.event), ['alert-fired', 'alert-resolved']);
  const resolved = (await s.call('GET', `/v1/incidents/${encodeURIComponent(open.id)}`, { key })).body;
  assert.deepEqual([resolved.status, resolved.resolvedAt], ['resolved', open.lastAt + 60_000]);
  assert.equal((await s.call('GET', `/v1/streams/${st.id}/points?limit=1000`, { key })).body.points.length, 50, 'no point arrived meanwhile');
}

// The quiet timer runs where scoring-time alerting does: in the scorer's thread (a database file), or in process (':memory:').
for (const db of ['file', 'memory'] as const) {
  describe(db === 'file' ? 'the scorer in its own thread' : 'the scorer in process', () => {
    before(async () => {
      rx = new TestReceiver();
      await rx.up();
      s = await testServer({
        allowPrivateSinks: true,
        retry: { baseSeconds: 0.05, maxDelaySeconds: 0.4, maxAttempts: 100 },
        deliveryPollMs: 50,
        quietCheckMs: 20,
        clock,
        ...(db === 'memory' ? { db: 'sqlite::memory:' } : {}),
      });
      assert.equal(s.svc.scorer instanceof ScorerThread, db === 'file');
      key = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'ack' } })).body.key;
    });
    after(async () => {
      await s.stop();
      await rx.down();
    });
    test('an acknowledged incident is silenced until it resolves; the next incident notifies again (beside a twin never acknowledged)', acknowledged);
    test('a stream that goes silent has its incident resolved by the quiet timer, once the quiet period passes on the clock', silent);
  });
}
