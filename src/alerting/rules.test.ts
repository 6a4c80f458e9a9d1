import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError, DataError, FormatError } from '../core/errors.js';
import { RuleEvaluator, parseAlertRule, severityOf, type RuleDecision } from './rules.js';
import type { ScoredPoint } from './scored-point.js';

const S = 1000;
const MIN = 60 * S;
const pt = (t: number, score: number, key?: string, threshold = 3): ScoredPoint => ({ t, key, score, anomaly: score > threshold, threshold });
const feed = (e: RuleEvaluator, ps: ScoredPoint[]): RuleDecision[] => ps.flatMap((p) => e.observe(p));

test('a rule fills its defaults and refuses bad fields with a one-line OptionsError', () => {
  const r = parseAlertRule({});
  assert.deepEqual(r, { enabled: true, maxPerHour: 10, severity: { by: 'margin', warning: 0.5, critical: 1 }, minSeverity: 'info', quietSeconds: 600 });
  assert.throws(() => parseAlertRule({ forPoints: 0 }), (e: Error) => e instanceof OptionsError && /forPoints/.test(e.message));
  assert.throws(() => parseAlertRule({ maxPerHour: 1.5 }), OptionsError);
  assert.throws(() => parseAlertRule({ nope: 1 }), OptionsError);
  assert.throws(() => parseAlertRule({ severity: { by: 'score', warning: 5, critical: 4 } }), /warning must not be above critical/);
  assert.throws(() => parseAlertRule({ minSeverity: 'loud' }), OptionsError);
});

test('severity by margin: under half again the threshold is info, from it warning, from twice critical', () => {
  assert.equal(severityOf(3.1, 3), 'info');
  assert.equal(severityOf(4.49, 3), 'info');
  assert.equal(severityOf(4.5, 3), 'warning');
  assert.equal(severityOf(5.99, 3), 'warning');
  assert.equal(severityOf(6, 3), 'critical');
  // A negative threshold: the margin is relative to its size, still upwards.
  assert.equal(severityOf(-0.5, -1), 'warning');
  assert.equal(severityOf(2, 0), 'critical');
  // At or below the threshold, or a warm-up NaN threshold, there is nothing to grade.
  assert.equal(severityOf(3, 3), 'info');
  assert.equal(severityOf(100, NaN), 'info');
});

test('severity by score uses the absolute levels', () => {
  const spec = { by: 'score' as const, warning: 0.7, critical: 0.9 };
  assert.equal(severityOf(0.65, 0.6, spec), 'info');
  assert.equal(severityOf(0.7, 0.6, spec), 'warning');
  assert.equal(severityOf(0.95, 0.6, spec), 'critical');
});

test('with no duration given one point above the threshold fires, once per episode', () => {
  const e = new RuleEvaluator();
  const d = feed(e, [pt(0, 1), pt(S, 4), pt(2 * S, 4.2), pt(3 * S, 1), pt(4 * S, 4)]);
  assert.equal(d.length, 1);
  assert.equal(d[0]!.kind, 'fire');
  assert.equal(d[0]!.t, S);
  assert.equal(d[0]!.severity, 'info');
  // After the episode is closed (its incident resolved) the next run fires again.
  assert.equal(e.close(undefined), 'info');
  assert.equal(e.close(undefined), null);
  assert.equal(feed(e, [pt(5 * S, 4)]).filter((x) => x.kind === 'fire').length, 1);
});

test('forPoints needs that many points in a row above the threshold; a point below restarts the count', () => {
  const e = new RuleEvaluator({ forPoints: 3 });
  const scores = [4, 4, 1, 4, 4, 2, 4, 4, 4, 4];
  const d = feed(e, scores.map((s, i) => pt(i * S, s)));
  assert.equal(d.length, 1);
  const f = d[0]!;
  assert.ok(f.kind === 'fire');
  assert.equal(f.t, 8 * S);
  assert.equal(f.by, 'points');
  assert.equal(f.points, 3);
  assert.equal(f.since, 6 * S);
});

test('forSeconds needs the score above the threshold that long, counted from the first point of the run', () => {
  const e = new RuleEvaluator({ forSeconds: 120 });
  const d = feed(e, [pt(0, 4), pt(MIN, 4), pt(MIN + 1, 1), pt(2 * MIN, 4), pt(3 * MIN, 4), pt(4 * MIN - 1, 4), pt(4 * MIN, 4)]);
  assert.equal(d.length, 1);
  assert.ok(d[0]!.kind === 'fire' && d[0]!.by === 'seconds');
  assert.equal(d[0]!.t, 4 * MIN);
  assert.equal(d[0]!.since, 2 * MIN);
});

test('forPoints or forSeconds: whichever holds first fires', () => {
  const byPoints = feed(new RuleEvaluator({ forPoints: 3, forSeconds: 3600 }), [pt(0, 4), pt(S, 4), pt(2 * S, 4)]);
  assert.ok(byPoints[0]?.kind === 'fire' && byPoints[0].by === 'points' && byPoints[0].t === 2 * S);
  const bySeconds = feed(new RuleEvaluator({ forPoints: 100, forSeconds: 60 }), [pt(0, 4), pt(MIN, 4)]);
  assert.ok(bySeconds[0]?.kind === 'fire' && bySeconds[0].by === 'seconds' && bySeconds[0].t === MIN);
});

test('the fire is graded by the peak of the qualifying run and escalates once per higher level', () => {
  const e = new RuleEvaluator({ forPoints: 2 });
  const d = feed(e, [pt(0, 5), pt(S, 3.5), pt(2 * S, 5), pt(3 * S, 4.6), pt(4 * S, 7), pt(5 * S, 8), pt(6 * S, 4)]);
  assert.deepEqual(
    d.map((x) => [x.kind, x.t, x.severity]),
    [
      ['fire', S, 'warning'],
      ['escalate', 4 * S, 'critical'],
    ],
  );
  const fire = d[0]!;
  assert.ok(fire.kind === 'fire');
  assert.equal(fire.score, 5);
  const esc = d[1]!;
  assert.ok(esc.kind === 'escalate' && esc.from === 'warning');
});

test('minSeverity holds an alert back until the episode reaches it', () => {
  const e = new RuleEvaluator({ minSeverity: 'critical' });
  const d = feed(e, [pt(0, 4), pt(S, 5), pt(2 * S, 6.5), pt(3 * S, 7)]);
  assert.deepEqual(d.map((x) => [x.kind, x.t, x.severity]), [['fire', 2 * S, 'critical']]);
});

test('at most k alerts in any sliding hour; one suppression per episode; the budget frees an hour after the oldest', () => {
  const e = new RuleEvaluator({ maxPerHour: 2 });
  // Five series each start an episode a minute apart.
  const d = feed(e, ['a', 'b', 'c', 'd', 'e'].map((k, i) => pt(i * MIN, 4, k)));
  assert.deepEqual(d.map((x) => [x.kind, x.key]), [['fire', 'a'], ['fire', 'b'], ['suppress', 'c'], ['suppress', 'd'], ['suppress', 'e']]);
  const sup = d[2]!;
  assert.ok(sup.kind === 'suppress');
  assert.equal(sup.until, 60 * MIN);
  assert.equal(e.budget(5 * MIN), 0);
  // c stays above the threshold: no repeated suppression, and it fires once the budget frees.
  assert.deepEqual(feed(e, [pt(30 * MIN, 4, 'c'), pt(59 * MIN, 4, 'c')]), []);
  const later = feed(e, [pt(60 * MIN + 1, 4, 'c')]);
  assert.deepEqual(later.map((x) => [x.kind, x.key]), [['fire', 'c']]);
  assert.equal(e.budget(60 * MIN + 1), 0);
  assert.equal(e.budget(61 * MIN + 1), 1);
});

test('a noisy hour on one series is one alert, however many runs it has', () => {
  const e = new RuleEvaluator({ maxPerHour: 100 });
  const ps: ScoredPoint[] = [];
  for (let i = 0; i < 360; i++) ps.push(pt(i * 10 * S, i % 3 === 0 ? 4 : 1));
  assert.equal(feed(e, ps).length, 1);
});

test('a disabled rule decides nothing', () => {
  assert.deepEqual(feed(new RuleEvaluator({ enabled: false }), [pt(0, 100), pt(S, 100)]), []);
});

test('time going back within a series is a DataError; other series keep their own time', () => {
  const e = new RuleEvaluator({ forPoints: 3 });
  e.observe(pt(10 * S, 4, 'a'));
  e.observe(pt(5 * S, 4, 'b'));
  assert.throws(() => e.observe(pt(9 * S, 4, 'a')), DataError);
  assert.throws(() => e.observe(pt(NaN, 4, 'a')), DataError);
});

test('state survives a JSON round trip mid-episode and mid-budget', () => {
  const ps = [pt(0, 4, 'a'), pt(S, 4, 'a'), pt(2 * S, 4, 'b'), pt(3 * S, 4, 'b'), pt(4 * S, 4, 'b'), pt(5 * S, 4, 'c'), pt(6 * S, 4, 'c'), pt(7 * S, 7, 'a'), pt(8 * S, 4, 'c')];
  const whole = new RuleEvaluator({ forPoints: 2, maxPerHour: 2 });
  const all = feed(whole, ps);
  const first = new RuleEvaluator({ forPoints: 2, maxPerHour: 2 });
  const head = feed(first, ps.slice(0, 4));
  const restored = RuleEvaluator.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
  const tail = feed(restored, ps.slice(4));
  assert.deepEqual([...head, ...tail], all);
  // a's escalation to critical comes with the budget spent: suppressed, told once.
  assert.deepEqual(all.map((x) => [x.kind, x.key]), [['fire', 'a'], ['fire', 'b'], ['suppress', 'c'], ['suppress', 'a']]);
  assert.throws(() => RuleEvaluator.fromJSON({ format: 'other' } as never), FormatError);
});
