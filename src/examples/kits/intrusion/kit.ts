/**
 * Intrusion kit: which log rows should the security team look at? Brute force and port scans are
 * invisible row by row (one failed login, one short connection are everyday events); they show
 * only against the user's or host's recent activity, which is what the per-user and per-host
 * entity features add. Exfiltration is visible in a row's bytes, but the nightly backup is too.
 */
import type { Frame } from '../../../data/frame.js';
import type { Kit, KitResult } from '../kit.js';
import { bestApproach, measure, type ApproachResult } from '../measure.js';
import { DAY_MS, firstAtOrAfter, frameOf, HOUR_MS, KIT_START } from '../frames.js';
import { runApproaches, withEntityFeatures, type TabularApproach, type TabularRun } from '../tabular.js';
import type { EntityFeaturesSpec } from '../../../preprocess/entity/index.js';
import { generateIntrusion, type IntrusionData } from './generate.js';

/** Alerts the security team can triage per day. */
export const INTRUSION_BUDGET = 40;

export const INTRUSION_APPROACHES: TabularApproach[] = [
  { name: 'iforest', detector: 'iforest', options: { seed: 1 }, labels: 'none' },
  { name: 'ecod', detector: 'ecod', labels: 'none' },
  { name: 'knn', detector: 'knn', labels: 'none' },
];

/** What one log row says: log-scaled sizes (bytes span nine orders of magnitude), the port as a category. */
export function rawFrame(d: IntrusionData): Frame {
  const c = d.connections;
  return frameOf({
    log_bytes_out: Float64Array.from(c, (r) => Math.log1p(r.bytes_out)),
    log_bytes_in: Float64Array.from(c, (r) => Math.log1p(r.bytes_in)),
    log_duration: Float64Array.from(c, (r) => Math.log1p(r.duration_s)),
    failed: Float64Array.from(c, (r) => r.failed),
    hour: Float64Array.from(c, (r) => ((r.ts - KIT_START) % DAY_MS) / HOUR_MS),
    dst_port: c.map((r) => String(r.dst_port)),
  });
}

/** Attacks in the test rows with at least one row above the cut, as "found/all". */
export function attacksFound(attack: ArrayLike<number>, scores: ArrayLike<number>, cutoff: number): string {
  const all = new Set<number>();
  const found = new Set<number>();
  for (let i = 0; i < attack.length; i++) {
    if (attack[i]! < 0) continue;
    all.add(attack[i]!);
    if (scores[i]! > cutoff) found.add(attack[i]!);
  }
  return `${found.size}/${all.size}`;
}

/** Entity features per user, per source host, or both: what each did in the last hour and day. */
export function intrusionEntities(keys: string[]): EntityFeaturesSpec {
  return { keys, time: 'ts', timeUnit: 'ms', windows: ['1h', '24h'], values: ['failed', 'log_bytes_out'], distinct: ['dst_port', 'dst_host'] };
}

function entityInput(d: IntrusionData): Frame {
  const c = d.connections;
  const raw = rawFrame(d);
  const more = frameOf({ ts: Float64Array.from(c, (r) => r.ts), user: c.map((r) => r.user), src_host: c.map((r) => r.src_host), dst_host: c.map((r) => r.dst_host) });
  return { rows: raw.rows, columns: [...raw.columns, ...more.columns] };
}

export const intrusionKit: Kit = {
  name: 'intrusion',
  summary: 'connection and login logs with brute force, port scans and exfiltration; detection per user and per host',
  async run(o): Promise<KitResult> {
    const data = generateIntrusion(o.seed, { users: Math.round(60 * o.size), days: 14 });
    const c = data.connections;
    const times = Float64Array.from(c, (r) => r.ts);
    const labels = Uint8Array.from(c, (r) => (r.type === 'none' ? 0 : 1));
    const split = { labels, validationAt: firstAtOrAfter(times, KIT_START + 7 * DAY_MS), testAt: firstAtOrAfter(times, KIT_START + 10 * DAY_MS), validationDays: 3, testDays: 4 };
    const runs: TabularRun[] = await runApproaches({ ...split, frame: rawFrame(data) }, INTRUSION_APPROACHES, { confirmed: 0, suffix: ', row only', ...o });
    const input = entityInput(data);
    for (const [keys, suffix] of [[['user'], ', per user'], [['src_host'], ', per host'], [['user', 'src_host'], ', per user and host']] as const) {
      o.onProgress?.(`computing entity features${suffix}`);
      const frame = withEntityFeatures(input, intrusionEntities([...keys]), ['user', 'src_host', 'dst_host']);
      runs.push(...(await runApproaches({ ...split, frame }, INTRUSION_APPROACHES, { confirmed: 0, suffix, ...o })));
    }
    const testLabels = labels.subarray(split.testAt);
    const attack = Int32Array.from(c.slice(split.testAt), (r) => r.attack);
    const measured = runs.map((r) => {
      const m = measure(r.name, { validation: r.validation, validationDays: 3, test: r.test, labels: testLabels, testDays: 4 }, INTRUSION_BUDGET);
      const result: ApproachResult = { ...m.result, attacks_found: attacksFound(attack, r.test, m.cutoff) };
      return { result, cutoff: m.cutoff };
    });
    const best = bestApproach(measured.map((m) => m.result));
    const bad = labels.reduce((a, b) => a + b, 0);
    return {
      kit: 'intrusion',
      data: `${c.length} log rows over ${data.days} days, ${data.attacks} attacks in ${bad} rows; train days 1-7, validation 8-10, test 11-14`,
      budget: `${INTRUSION_BUDGET} alerts per day (a security team's triage capacity)`,
      approaches: measured.map((m) => m.result),
      extraColumns: ['attacks_found'],
      report: { approach: measured[best]!.result.name, scores: Array.from(runs[best]!.test), labels: Array.from(testLabels), threshold: measured[best]!.cutoff, rowsPerDay: testLabels.length / 4 },
    };
  },
};
