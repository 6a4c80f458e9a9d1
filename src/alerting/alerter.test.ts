import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../core/errors.js';
import { StreamAlerter, type Alert, type AlerterStep } from './alerter.js';
import { alertKey } from './delivery.js';
import type { AlertPoint } from './alert-point.js';

const S = 1000;
const MIN = 60 * S;
const pt = (t: number, score: number, key?: string): AlertPoint => ({ t, key, score, anomaly: score > 3, threshold: 3 });
const alertsOf = (steps: AlerterStep[]): Alert[] => steps.flatMap((s) => s.alerts);

/** An hour of a noisy host, then quiet, then a second burst; another host with one blip. */
function scenario(): AlertPoint[] {
  const ps: AlertPoint[] = [];
  for (let i = 0; i < 360; i++) ps.push(pt(i * 10 * S, i % 3 === 0 ? (i > 300 ? 7 : 4) : 1, 'h1'));
  ps.push(pt(3600 * S, 4, 'h2'));
  for (let i = 0; i < 5; i++) ps.push(pt(2 * 3600 * S + i * S, 5, 'h1'));
  return ps.sort((a, b) => a.t - b.t);
}

test('a noisy hour is one fired alert, one escalation and one resolution; a later burst is a new incident', () => {
  const a = StreamAlerter.create('s1', { quietSeconds: 300, forPoints: 1 });
  const steps = scenario().map((p) => a.observe(p));
  const alerts = alertsOf(steps);
  assert.deepEqual(
    alerts.map((x) => [x.type, x.incident.key, x.severity]),
    [
      ['alert-fired', 'h1', 'info'],
      ['alert-escalated', 'h1', 'critical'],
      ['alert-fired', 'h2', 'info'],
      ['alert-resolved', 'h1', 'critical'],
      ['alert-fired', 'h1', 'warning'],
    ],
  );
  assert.equal(steps.flatMap((s) => s.incidents).filter((e) => e.type === 'incident-opened').length, 3);
  // The resolution is dated at the end of the quiet period, and comes with the resolved event's sequence number.
  const resolved = alerts[3]!;
  assert.equal(resolved.t, 3570 * S + 300 * S);
  assert.equal(resolved.incident.count, 120);
  assert.equal(resolved.seq, 120);
  // The silent host resolves on the service's tick.
  const tick = a.advance(3 * 3600 * S);
  assert.deepEqual(tick.alerts.map((x) => [x.type, x.incident.key]), [['alert-resolved', 'h2'], ['alert-resolved', 'h1']]);
  // Every alert has its own idempotency key.
  const keys = [...alerts, ...tick.alerts].map(alertKey);
  assert.equal(new Set(keys).size, keys.length);
});

test('an incident never alerted (below minSeverity) resolves without a resolution alert', () => {
  const a = StreamAlerter.create('s', { minSeverity: 'critical', quietSeconds: 60 });
  const steps = [pt(0, 4), pt(S, 4), pt(10 * MIN, 1)].map((p) => a.observe(p));
  assert.deepEqual(alertsOf(steps), []);
  assert.deepEqual(steps.flatMap((s) => s.incidents).map((e) => e.type), ['incident-opened', 'incident-updated', 'incident-resolved']);
});

test('suppressions are decisions, not alerts', () => {
  const a = StreamAlerter.create('s', { maxPerHour: 1 });
  const steps = [pt(0, 4, 'a'), pt(S, 4, 'b')].map((p) => a.observe(p));
  assert.deepEqual(alertsOf(steps).map((x) => x.incident.key), ['a']);
  assert.deepEqual(steps[1]!.decisions.map((d) => d.kind), ['suppress']);
});

test('a restart from the saved state replays to the same alerts under the same keys', () => {
  const ps = scenario();
  const whole = StreamAlerter.create('s1', { quietSeconds: 300 });
  const expected = alertsOf(ps.map((p) => whole.observe(p)));
  const cut = 320;
  const first = StreamAlerter.create('s1', { quietSeconds: 300 });
  const head = alertsOf(ps.slice(0, cut).map((p) => first.observe(p)));
  const saved = JSON.parse(JSON.stringify(first.toJSON()));
  // A crash after delivering the head but before the checkpoint: the replay from an older state repeats
  // the last points, and the repeated alerts carry the keys already delivered.
  const older = StreamAlerter.create('s1', { quietSeconds: 300 });
  ps.slice(0, cut - 40).forEach((p) => older.observe(p));
  const replayed = StreamAlerter.fromJSON(JSON.parse(JSON.stringify(older.toJSON())));
  const again = alertsOf(ps.slice(cut - 40, cut).map((p) => replayed.observe(p)));
  const delivered = new Set(head.map(alertKey));
  assert.deepEqual(again.map((x) => x.type), ['alert-escalated']);
  assert.ok(again.every((x) => delivered.has(alertKey(x))));
  const restored = StreamAlerter.fromJSON(saved);
  const rest = alertsOf(ps.slice(cut).map((p) => restored.observe(p)));
  assert.deepEqual([...head, ...rest], expected);
});

test('an edited rule keeps the open incidents', () => {
  const a = StreamAlerter.create('s', { quietSeconds: 60 });
  a.observe(pt(0, 4));
  const b = StreamAlerter.fromJSON(a.toJSON(), { quietSeconds: 600, minSeverity: 'warning' });
  assert.equal(b.rule.quietSeconds, 600);
  assert.equal(b.openIncidents().length, 1);
  // The wider quiet period now keeps the incident open across a 5-minute gap.
  assert.deepEqual(b.observe(pt(5 * MIN, 4)).incidents.map((e) => e.type), ['incident-updated']);
});

test('a point going back in time is refused before any state changes', () => {
  const ps = [pt(0, 4), pt(10 * S, 1), pt(20 * S, 4), pt(30 * S, 5)];
  const clean = StreamAlerter.create('s');
  const expected = ps.map((p) => clean.observe(p));
  const a = StreamAlerter.create('s');
  const got = [a.observe(ps[0]!), a.observe(ps[1]!)];
  // After the incident's last anomaly (0 s) but before the series' last point (10 s).
  assert.throws(() => a.observe(pt(5 * S, 4)), DataError);
  got.push(a.observe(ps[2]!), a.observe(ps[3]!));
  assert.deepEqual(got, expected);
});

test('an acknowledged incident is silenced until it resolves; its resolution is told; the next incident alerts again', () => {
  const rule = { quietSeconds: 60, severity: { by: 'score', warning: 6, critical: 9 } } as const;
  const run = (ack: boolean): Alert[] => {
    let a = StreamAlerter.create('s', rule);
    const out: Alert[] = [];
    out.push(...a.observe(pt(0, 4)).alerts);
    if (ack) a.ack(a.openIncidents()[0]!.id, 5 * S);
    // Through a checkpoint: the acknowledgement is the tracker's, the silencing survives it.
    a = StreamAlerter.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), rule);
    for (const p of [pt(10 * S, 7), pt(20 * S, 10), pt(30 * S, 1), pt(5 * MIN, 1), pt(6 * MIN, 8)]) out.push(...a.observe(p).alerts);
    return out;
  };
  assert.deepEqual(run(false).map((x) => [x.type, x.severity]), [['alert-fired', 'info'], ['alert-escalated', 'warning'], ['alert-escalated', 'critical'], ['alert-resolved', 'critical'], ['alert-fired', 'warning']]);
  const acked = run(true);
  assert.deepEqual(acked.map((x) => [x.type, x.severity]), [['alert-fired', 'info'], ['alert-resolved', 'critical'], ['alert-fired', 'warning']]);
  assert.equal(acked[1]!.incident.ackedAt, 5 * S);
  assert.equal(acked[2]!.incident.ackedAt, null, 'a new incident is not acknowledged');
});

test('acknowledged before its first alert: nothing is sent for it, not even its resolution', () => {
  const a = StreamAlerter.create('s', { quietSeconds: 60, forPoints: 3 });
  const out: Alert[] = [];
  out.push(...a.observe(pt(0, 4)).alerts);
  a.ack(a.openIncidents()[0]!.id, S);
  for (const p of [pt(S, 4), pt(2 * S, 4), pt(3 * S, 4), pt(5 * MIN, 1)]) out.push(...a.observe(p).alerts);
  assert.equal(out.length, 0);
  for (const p of [pt(6 * MIN, 4), pt(6 * MIN + S, 4), pt(6 * MIN + 2 * S, 4)]) out.push(...a.observe(p).alerts);
  assert.deepEqual(out.map((x) => x.type), ['alert-fired']);
});

test("an alert held back by an acknowledgement takes nothing from the rule's hourly budget", () => {
  const rule = { maxPerHour: 2, quietSeconds: 600, severity: { by: 'score', warning: 6, critical: 9 } } as const;
  const a = StreamAlerter.create('s', rule);
  const steps: AlerterStep[] = [];
  steps.push(a.observe(pt(0, 4, 'a')));
  a.ack(a.openIncidents()[0]!.id, S);
  // Escalations of the acknowledged incident (held back), then two other series: both are told, the hour allows two.
  for (const p of [pt(10 * S, 7, 'a'), pt(20 * S, 10, 'a'), pt(30 * S, 4, 'b'), pt(40 * S, 4, 'c')]) steps.push(a.observe(p));
  assert.deepEqual(alertsOf(steps).map((x) => [x.type, x.incident.key]), [['alert-fired', 'a'], ['alert-fired', 'b']]);
  assert.deepEqual(steps[4]!.decisions.map((d) => d.kind), ['suppress'], 'the budget is spent by the two alerts sent');

  // Acknowledged before its rule fired: the first alert held back spends nothing either.
  const late = StreamAlerter.create('s', { maxPerHour: 1, quietSeconds: 600, forPoints: 2 });
  late.observe(pt(0, 4, 'a'));
  late.ack(late.openIncidents()[0]!.id, S);
  const held = late.observe(pt(2 * S, 4, 'a'));
  assert.deepEqual([held.alerts, held.decisions.map((d) => d.kind)], [[], ['fire']]);
  late.observe(pt(3 * S, 4, 'b'));
  assert.deepEqual(late.observe(pt(4 * S, 4, 'b')).alerts.map((x) => [x.type, x.incident.key]), [['alert-fired', 'b']]);
});
