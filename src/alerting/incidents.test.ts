import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import { IncidentTracker, incidentId, type IncidentEvent } from './incidents.js';
import type { ScoredPoint } from './scored-point.js';

const S = 1000;
const pt = (t: number, score: number, key?: string): ScoredPoint => ({ t, key, score, anomaly: score > 3, threshold: 3 });
const types = (es: IncidentEvent[]): string[] => es.map((e) => e.type);

test('a noisy hour of one series is one incident: opened once, updated by each anomaly, resolved after the quiet period', () => {
  const tr = new IncidentTracker({ streamId: 's1', quietSeconds: 300 });
  const events: IncidentEvent[] = [];
  // One point every 10 s for an hour; every third is an anomaly (120 anomalies), the peak at 30 min.
  for (let i = 0; i < 360; i++) events.push(...tr.observe(pt(i * 10 * S, i % 3 === 0 ? (i === 180 ? 9 : 4) : 1)));
  assert.equal(events.filter((e) => e.type === 'incident-opened').length, 1);
  assert.equal(events.filter((e) => e.type === 'incident-updated').length, 119);
  assert.equal(events.filter((e) => e.type === 'incident-resolved').length, 0);
  // Quiet after the hour: the last anomaly was at 3570 s; 300 s later it is not yet over, just after it is.
  assert.deepEqual(tr.advance(3570 * S + 300 * S), []);
  const done = tr.advance(3570 * S + 300 * S + 1);
  assert.deepEqual(types(done), ['incident-resolved']);
  const inc = done[0]!.incident;
  assert.equal(inc.count, 120);
  assert.equal(inc.peakScore, 9);
  assert.equal(inc.peakAt, 1800 * S);
  assert.equal(inc.openedAt, 0);
  assert.equal(inc.lastAt, 3570 * S);
  assert.equal(inc.status, 'resolved');
  assert.equal(inc.resolvedAt, 3870 * S);
  assert.equal(done[0]!.seq, 120);
  assert.deepEqual(tr.openIncidents(), []);
});

test('two bursts further apart than the quiet period are two incidents; closer, one', () => {
  const burst = (start: number): ScoredPoint[] => [0, 1, 2, 3].map((i) => pt(start + i * S, 5));
  const far = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  const e1 = [...burst(0), pt(30 * S, 1), ...burst(3 * S + 61 * S)].flatMap((p) => far.observe(p));
  assert.deepEqual(types(e1).filter((t) => t !== 'incident-updated'), ['incident-opened', 'incident-resolved', 'incident-opened']);
  const resolved = e1.find((e) => e.type === 'incident-resolved')!;
  assert.equal(resolved.incident.count, 4);
  assert.equal(resolved.incident.resolvedAt, 63 * S);
  const ids = e1.filter((e) => e.type === 'incident-opened').map((e) => e.incident.id);
  assert.notEqual(ids[0], ids[1]);

  const near = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  const e2 = [...burst(0), ...burst(3 * S + 60 * S)].flatMap((p) => near.observe(p));
  assert.deepEqual(types(e2).filter((t) => t !== 'incident-updated'), ['incident-opened']);
  assert.equal(near.openIncidents()[0]!.count, 8);
});

test('series are grouped apart: an anomaly of one never joins or resolves another', () => {
  const tr = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  const es = [pt(0, 5, 'a'), pt(S, 5, 'b'), pt(2 * S, 5, 'a'), pt(100 * S, 1, 'b'), pt(101 * S, 1, 'c')].flatMap((p) => tr.observe(p));
  assert.deepEqual(
    es.map((e) => [e.type, e.incident.key]),
    [['incident-opened', 'a'], ['incident-opened', 'b'], ['incident-updated', 'a'], ['incident-resolved', 'b']],
  );
  assert.deepEqual(tr.openIncidents().map((i) => i.key), ['a']);
  // advance resolves every due series, oldest last anomaly first.
  const t2 = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  [pt(5 * S, 5, 'x'), pt(2 * S, 5, 'y'), pt(300 * S, 5, 'z')].forEach((p) => t2.observe(p));
  assert.deepEqual(t2.advance(200 * S).map((e) => e.incident.key), ['y', 'x']);
  assert.deepEqual(t2.openIncidents().map((i) => i.key), ['z']);
});

test('event sequence numbers count up within an incident, and ids are deterministic', () => {
  const tr = new IncidentTracker({ streamId: 'team/1', quietSeconds: 10 });
  const es = [pt(0, 5, 'h:7'), pt(S, 6, 'h:7'), pt(2 * S, 4, 'h:7')].flatMap((p) => tr.observe(p)).concat(tr.advance(60 * S));
  assert.deepEqual(es.map((e) => e.seq), [0, 1, 2, 3]);
  assert.equal(es[0]!.incident.id, incidentId('team/1', 'h:7', 0));
  // The parts are encoded, so different (stream, key) pairs cannot run together into one id.
  assert.notEqual(incidentId('a:b', 'c', 1), incidentId('a', 'b:c', 1));
  assert.equal(new Set(es.map((e) => e.incident.id)).size, 1);
  // Each event carries a copy: later changes do not rewrite an earlier event.
  assert.equal(es[0]!.incident.count, 1);
  assert.equal(es[2]!.incident.count, 3);
});

test('ack marks an open incident once; an unknown id is a DataError', () => {
  const tr = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  const [opened] = tr.observe(pt(0, 5));
  assert.equal(tr.ack(opened!.incident.id, 10 * S).ackedAt, 10 * S);
  assert.equal(tr.ack(opened!.incident.id, 20 * S).ackedAt, 10 * S);
  assert.throws(() => tr.ack('nope', 0), DataError);
});

test('state survives a JSON round trip: the same points give the same events', () => {
  const ps = [pt(0, 5, 'a'), pt(S, 5, 'b'), pt(2 * S, 7, 'a'), pt(90 * S, 1, 'a'), pt(91 * S, 5, 'a'), pt(92 * S, 5, 'b')];
  const whole = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  const all = ps.flatMap((p) => whole.observe(p));
  const first = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  const head = ps.slice(0, 3).flatMap((p) => first.observe(p));
  const restored = IncidentTracker.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
  const tail = ps.slice(3).flatMap((p) => restored.observe(p));
  assert.deepEqual([...head, ...tail], all);
  assert.deepEqual(restored.toJSON(), whole.toJSON());
  assert.throws(() => IncidentTracker.fromJSON({ format: 'x' } as never), FormatError);
});

test('bad options and times going back are refused', () => {
  assert.throws(() => new IncidentTracker({ streamId: 's', quietSeconds: 0 }), OptionsError);
  assert.throws(() => new IncidentTracker({ streamId: '', quietSeconds: 1 }), OptionsError);
  const tr = new IncidentTracker({ streamId: 's', quietSeconds: 60 });
  tr.observe(pt(10 * S, 5));
  assert.throws(() => tr.observe(pt(5 * S, 5)), DataError);
  assert.throws(() => tr.advance(Infinity), DataError);
});
