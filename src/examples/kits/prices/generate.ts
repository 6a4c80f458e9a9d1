/**
 * Daily closing prices of a universe of stocks: log returns with a common market factor, each
 * stock's own slowly wandering volatility, and a drift. Planted, labelled per day:
 * - `jump`: a single-day move of 6-12 of the stock's daily standard deviations (news, a gap);
 * - `burst`: 8-20 days of volatility 3-5 times the usual (a crisis in the name), every day labelled.
 */
import { matrix } from '../../../core/matrix.js';
import { Rng } from '../../../core/random.js';
import type { SeriesUnit } from '../series.js';

export interface PriceData {
  units: SeriesUnit[];
  /** Per stock, its daily log returns (index 0 is 0). */
  returns: Float64Array[];
  jumps: number;
  bursts: number;
}

export function generatePrices(seed: number, o: { stocks: number; days: number; eventsFrom: number }): PriceData {
  const rng = new Rng(seed);
  const market = Float64Array.from({ length: o.days }, () => 0.009 * rng.normal());
  const units: SeriesUnit[] = [];
  const returns: Float64Array[] = [];
  let jumps = 0;
  let bursts = 0;
  for (let s = 0; s < o.stocks; s++) {
    const beta = 0.6 + 0.8 * rng.next();
    const base = 0.008 + 0.012 * rng.next();
    const labels = new Uint8Array(o.days);
    const volScale = new Float64Array(o.days).fill(1);
    const jump = new Float64Array(o.days);
    const span = o.days - o.eventsFrom;
    for (let k = 0; k < Math.max(1, Math.round(span / 200)); k++) {
      const at = o.eventsFrom + rng.int(span);
      jump[at] = (rng.next() < 0.5 ? -1 : 1) * (6 + 6 * rng.next());
      labels[at] = 1;
      jumps++;
    }
    for (let k = 0; k < Math.max(1, Math.round(span / 400)); k++) {
      const len = 8 + rng.int(13);
      const at = o.eventsFrom + rng.int(span - len);
      const f = 3 + 2 * rng.next();
      for (let t = at; t < at + len; t++) {
        volScale[t] = f;
        labels[t] = 1;
      }
      bursts++;
    }
    const r = new Float64Array(o.days);
    const X = matrix(o.days, 1);
    let logVol = 0;
    let logPrice = Math.log(20 + 180 * rng.next());
    for (let t = 0; t < o.days; t++) {
      logVol = 0.98 * logVol + 0.05 * rng.normal();
      const sd = base * Math.exp(logVol);
      if (t > 0) r[t] = 0.0003 + beta * market[t]! + sd * (volScale[t]! * rng.normal() + jump[t]!);
      logPrice += r[t]!;
      X.data[t] = Math.round(Math.exp(logPrice) * 100) / 100;
    }
    units.push({ id: `STK${s + 1}`, values: X, labels });
    returns.push(r);
  }
  return { units, returns, jumps, bursts };
}
