/**
 * Min-max downsampling for display: a time range cut into pixel columns, each column drawn by the
 * smallest and largest value of every channel (in the order they occurred), so spikes and dips stay
 * visible at any zoom. Anomalous points are never folded into a column: each one is a row of its own
 * with its exact time, values and score, so a chart marks every anomaly in the range.
 */

export interface SamplePoint {
  t: number;
  values: Record<string, number>;
  score: number | null;
  anomaly: boolean | null;
  threshold: number | null;
}

export interface Row {
  t: number;
  values: Record<string, number>;
  /** The column's largest score (an anomaly row: its own score). */
  score: number | null;
  threshold: number | null;
  anomaly: boolean;
}

interface Column {
  first: number;
  last: number;
  lo: Record<string, { v: number; t: number }>;
  hi: Record<string, { v: number; t: number }>;
  score: number | null;
  threshold: number | null;
  n: number;
}

/** Rows in time order: at most two per column (one where a column holds one point), plus one per anomaly. */
export function downsample(points: readonly SamplePoint[], from: number, to: number, columns: number): Row[] {
  const span = Math.max(1, to - from + 1);
  const cols = new Map<number, Column>();
  const rows: Row[] = [];
  for (const p of points) {
    if (p.anomaly) {
      rows.push({ t: p.t, values: p.values, score: p.score, threshold: p.threshold, anomaly: true });
      continue;
    }
    const i = Math.min(columns - 1, Math.max(0, Math.floor(((p.t - from) / span) * columns)));
    let c = cols.get(i);
    if (!c) cols.set(i, (c = { first: p.t, last: p.t, lo: {}, hi: {}, score: null, threshold: null, n: 0 }));
    c.n++;
    c.last = p.t;
    for (const [ch, v] of Object.entries(p.values)) {
      const lo = c.lo[ch];
      const hi = c.hi[ch];
      if (!lo || v < lo.v) c.lo[ch] = { v, t: p.t };
      if (!hi || v > hi.v) c.hi[ch] = { v, t: p.t };
    }
    if (p.score !== null && (c.score === null || p.score > c.score)) c.score = p.score;
    if (p.threshold !== null) c.threshold = p.threshold;
  }
  for (const c of cols.values()) {
    const at = (pick: (lo: { v: number; t: number }, hi: { v: number; t: number }) => number): Record<string, number> =>
      Object.fromEntries(Object.keys(c.lo).map((ch) => [ch, pick(c.lo[ch]!, c.hi[ch]!)]));
    if (c.n === 1 || c.first === c.last) {
      rows.push({ t: c.first, values: at((lo) => lo.v), score: c.score, threshold: c.threshold, anomaly: false });
      continue;
    }
    rows.push({ t: c.first, values: at((lo, hi) => (lo.t <= hi.t ? lo.v : hi.v)), score: c.score, threshold: c.threshold, anomaly: false });
    rows.push({ t: c.last, values: at((lo, hi) => (lo.t <= hi.t ? hi.v : lo.v)), score: c.score, threshold: c.threshold, anomaly: false });
  }
  return rows.sort((a, b) => a.t - b.t || Number(a.anomaly) - Number(b.anomaly));
}
