/**
 * Prices kit: which stock-days should a risk desk look at? Detecting on prices themselves is the
 * classic mistake (a trending price is never "normal" for long); the careful version works on log
 * returns net of the market's move and judges them against the stock's own recent volatility.
 */
import { matrix, type Matrix } from '../../../core/matrix.js';
import type { Kit, KitResult } from '../kit.js';
import { bestApproach, measure } from '../measure.js';
import { detectorApproach, runSeries, testLabels, unitReport, busiestUnit, type SeriesApproach, type SeriesUnit } from '../series.js';
import { generatePrices } from './generate.js';

/** Alerts per trading day over the whole universe. */
export const PRICES_BUDGET = 2;
const DAYS = 1000;
const TRAIN = 500;
const VALIDATION = 250;

/** Log returns of a one-column price series (first step 0). */
export function logReturns(prices: Matrix): Matrix {
  const out = matrix(prices.rows, 1);
  for (let t = 1; t < prices.rows; t++) out.data[t] = Math.log(prices.data[t]! / prices.data[t - 1]!);
  return out;
}

/** An approach run on a transform of the prices instead of the prices. */
function on(transform: (m: Matrix) => Matrix, a: SeriesApproach, name: string): SeriesApproach {
  return { name, deep: a.deep, score: (all, trainSteps) => a.score(transform(all), trainSteps) };
}

/**
 * Per step: the larger of |residual| / long volatility (a jump) and the 5-day realised volatility
 * over the long one (a burst), the long volatility an EWMA of the 60 days before.
 */
export function volatilityScore(residual: ArrayLike<number>): Float64Array {
  const s = new Float64Array(residual.length);
  let v = NaN;
  const lambda = 1 - 1 / 60;
  for (let t = 1; t < residual.length; t++) {
    const r = residual[t]!;
    if (Number.isNaN(v)) v = r * r + 1e-8;
    const sd = Math.sqrt(v);
    let short = 0;
    const from = Math.max(1, t - 4);
    for (let k = from; k <= t; k++) short += residual[k]! ** 2;
    s[t] = t < 20 ? 0 : Math.max(Math.abs(r) / sd, Math.sqrt(short / (t - from + 1)) / sd);
    // A jump is not let into the long volatility, or the days after it would look calm.
    v = lambda * v + (1 - lambda) * Math.min(r * r, 16 * v);
  }
  return s;
}

export const pricesKit: Kit = {
  name: 'prices',
  summary: 'daily prices of a stock universe with jumps and volatility bursts',
  async run(o): Promise<KitResult> {
    const stocks = Math.max(3, Math.round(20 * o.size));
    const data = generatePrices(o.seed, { stocks, days: DAYS, eventsFrom: 100 });
    // The market's move each day, the mean return over the universe: what a stock's residual is net of.
    const market = new Float64Array(DAYS);
    for (const r of data.returns) for (let t = 0; t < DAYS; t++) market[t] += r[t]! / stocks;
    const residualApproach: SeriesApproach = {
      name: 'market residual vs own volatility',
      async score(all) {
        const r = logReturns(all).data;
        return volatilityScore(r.map((x, t) => x - market[t]!));
      },
    };
    const approaches: SeriesApproach[] = [
      detectorApproach('rolling-z on prices (naive)', 'rolling-z', { window: 60 }),
      on(logReturns, detectorApproach('', 'rolling-z', { window: 60 }), 'rolling-z on returns'),
      on(logReturns, detectorApproach('', 'rolling-mad', { window: 60 }), 'rolling-mad on returns'),
      on(logReturns, detectorApproach('', 'ewma', { alpha: 0.03 }), 'ewma on returns'),
      on(logReturns, detectorApproach('', 'discord', { window: 5 }), 'discord on returns (5 days)'),
      residualApproach,
    ];
    const units: SeriesUnit[] = data.units;
    const split = { trainSteps: TRAIN, validationSteps: VALIDATION };
    const runs = await runSeries(units, approaches, split, o);
    const labels = testLabels(units, split);
    const testDays = DAYS - TRAIN - VALIDATION;
    const measured = runs.map((r) => measure(r.name, { validation: r.validation, validationDays: VALIDATION, test: r.test, labels, testDays }, PRICES_BUDGET));
    const best = bestApproach(measured.map((m) => m.result));
    const shown = busiestUnit(data.units, TRAIN + VALIDATION);
    return {
      kit: 'prices',
      data: `${stocks} stocks x ${DAYS} trading days, ${data.jumps} jumps and ${data.bursts} volatility bursts; train days 1-${TRAIN}, validation ${TRAIN + 1}-${TRAIN + VALIDATION}, test ${TRAIN + VALIDATION + 1}-${DAYS}`,
      budget: `${PRICES_BUDGET} alerts per trading day over the universe`,
      approaches: measured.map((m) => m.result),
      extraColumns: [],
      report: unitReport(runs[best]!, data.units[shown]!, { index: shown, testAt: TRAIN + VALIDATION, cutoff: measured[best]!.cutoff, stepMs: 86_400_000, channel: 'close' }),
    };
  },
};
