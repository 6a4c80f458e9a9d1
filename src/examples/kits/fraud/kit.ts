/**
 * Fraud kit: which transactions should an analyst team of fixed size look at today? Rows are
 * transactions; features are what the row says (amount, hour, category, country) and, with
 * entity features, what it says against the card's, customer's and IP's own recent history.
 */
import type { Kit, KitResult } from '../kit.js';
import { bestApproach, measure } from '../measure.js';
import { DAY_MS, frameOf, firstAtOrAfter, KIT_START, HOUR_MS } from '../frames.js';
import { runApproaches, withEntityFeatures, type TabularApproach, type TabularRun } from '../tabular.js';
import type { EntityFeaturesSpec } from '../../../preprocess/entity/index.js';
import { generateFraud, type FraudData } from './generate.js';
import type { Frame } from '../../../data/frame.js';

/** Alerts an analyst team can review per day. */
export const FRAUD_BUDGET = 30;
/** Frauds an analyst confirmed in the training period: what the semi-supervised approach gets. */
export const FRAUD_CONFIRMED = 15;

export const FRAUD_APPROACHES: TabularApproach[] = [
  { name: 'iforest', detector: 'iforest', options: { seed: 1 }, labels: 'none' },
  { name: 'ecod', detector: 'ecod', labels: 'none' },
  { name: 'knn', detector: 'knn', labels: 'none' },
  { name: `devnet (${FRAUD_CONFIRMED} confirmed)`, detector: 'devnet', options: { seed: 1 }, labels: 'few', deep: true },
  { name: 'classifier (all labels)', detector: 'classifier', options: { seed: 1 }, labels: 'all', deep: true },
];

/** The row-only features: what a transaction says on its own. */
export function rawFrame(d: FraudData): Frame {
  const tx = d.transactions;
  return frameOf({
    amount: Float64Array.from(tx, (t) => t.amount),
    hour: Float64Array.from(tx, (t) => ((t.ts - KIT_START) % DAY_MS) / HOUR_MS),
    category: tx.map((t) => t.category),
    country: tx.map((t) => t.country),
  });
}

/** Per card, customer and IP over the last hour and day: counts, amounts, new countries, devices and cards. */
export const FRAUD_ENTITIES: EntityFeaturesSpec = {
  keys: ['customer', 'card', 'ip'],
  time: 'ts',
  timeUnit: 'ms',
  windows: ['1h', '24h'],
  values: ['amount'],
  distinct: ['country', 'device', 'card'],
};

/** The row features plus the columns entity features read. */
export function entityInput(d: FraudData): Frame {
  const tx = d.transactions;
  const raw = rawFrame(d);
  return {
    rows: raw.rows,
    columns: [
      ...raw.columns,
      ...frameOf({ ts: Float64Array.from(tx, (t) => t.ts), customer: tx.map((t) => t.customer), card: tx.map((t) => t.card), ip: tx.map((t) => t.ip), device: tx.map((t) => t.device) }).columns,
    ],
  };
}

export const fraudKit: Kit = {
  name: 'fraud',
  summary: 'card transactions with large purchases, card-testing bursts from one IP, risky locations and account takeover',
  async run(o): Promise<KitResult> {
    const data = generateFraud(o.seed, { customers: Math.round(400 * o.size), days: 28 });
    const tx = data.transactions;
    const times = Float64Array.from(tx, (t) => t.ts);
    const labels = Uint8Array.from(tx, (t) => (t.type === 'none' ? 0 : 1));
    const split = {
      labels,
      validationAt: firstAtOrAfter(times, KIT_START + 16 * DAY_MS),
      testAt: firstAtOrAfter(times, KIT_START + 22 * DAY_MS),
      validationDays: 6,
      testDays: 6,
    };
    const runs: TabularRun[] = await runApproaches({ ...split, frame: rawFrame(data) }, FRAUD_APPROACHES, { confirmed: FRAUD_CONFIRMED, suffix: ', row only', ...o });
    o.onProgress?.('computing entity features');
    const entity = withEntityFeatures(entityInput(data), FRAUD_ENTITIES, ['device']);
    runs.push(...(await runApproaches({ ...split, frame: entity }, FRAUD_APPROACHES, { confirmed: FRAUD_CONFIRMED, suffix: ', entity', ...o })));
    const testLabels = labels.subarray(split.testAt);
    const measured = runs.map((r) => measure(r.name, { validation: r.validation, validationDays: 6, test: r.test, labels: testLabels, testDays: 6 }, FRAUD_BUDGET));
    const best = bestApproach(measured.map((m) => m.result));
    const frauds = labels.reduce((a, b) => a + b, 0);
    return {
      kit: 'fraud',
      data: `${tx.length} transactions over ${data.days} days, ${frauds} fraudulent (${((100 * frauds) / tx.length).toFixed(2)}%); train days 1-16, validation 17-22, test 23-28`,
      budget: `${FRAUD_BUDGET} alerts per day (an analyst team's capacity)`,
      approaches: measured.map((m) => m.result),
      extraColumns: [],
      report: {
        approach: measured[best]!.result.name,
        scores: Array.from(runs[best]!.test),
        labels: Array.from(testLabels),
        threshold: measured[best]!.cutoff,
        rowsPerDay: testLabels.length / 6,
      },
    };
  },
};
