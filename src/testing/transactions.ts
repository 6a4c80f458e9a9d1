import { Rng } from '../core/random.js';
import type { Frame } from '../data/frame.js';

export interface Transactions {
  /** card (text), ts (seconds), amount, hour. */
  frame: Frame;
  /** 1 for the rows of planted bursts. */
  labels: Uint8Array;
}

/**
 * Card payments over `days`: each card buys a few times a day at amounts of its own (some cards
 * spend tens, some hundreds), and `bursts` cards each make a run of 6 purchases within ten
 * minutes at amounts usual for that card. A burst row alone looks normal; only the card's recent
 * past gives it away, the case per-entity features are for. Sorted by time.
 */
export function cardTransactions(opts: { cards?: number; days?: number; bursts?: number; seed?: number } = {}): Transactions {
  const { cards = 150, days = 6, bursts = 8, seed = 1 } = opts;
  const rng = new Rng(seed);
  const rows: { card: string; ts: number; amount: number; label: number }[] = [];
  const typical = Array.from({ length: cards }, () => Math.exp(rng.uniform(Math.log(10), Math.log(400))));
  const amount = (c: number): number => Math.round(100 * typical[c]! * Math.exp(0.3 * rng.normal())) / 100;
  for (let c = 0; c < cards; c++) {
    let ts = rng.uniform(0, 86_400 / 3);
    // Roughly three purchases a day, never two within an hour.
    while (ts < days * 86_400) {
      rows.push({ card: `card${c}`, ts: Math.round(ts), amount: amount(c), label: 0 });
      ts += 3600 + rng.uniform(0, 86_400 / 3 * 2 - 3600) * 2 * rng.next();
    }
  }
  const order = rng.permutation(cards);
  for (let b = 0; b < bursts; b++) {
    const c = order[b]!;
    let ts = rng.uniform(86_400, days * 86_400 - 3600);
    for (let k = 0; k < 6; k++) {
      rows.push({ card: `card${c}`, ts: Math.round(ts), amount: amount(c), label: 1 });
      ts += rng.uniform(30, 100);
    }
  }
  rows.sort((a, b) => a.ts - b.ts);
  return {
    frame: {
      rows: rows.length,
      columns: [
        { name: 'card', kind: 'categorical', values: rows.map((r) => r.card) },
        { name: 'ts', kind: 'numeric', values: Float64Array.from(rows, (r) => r.ts) },
        { name: 'amount', kind: 'numeric', values: Float64Array.from(rows, (r) => r.amount) },
        { name: 'hour', kind: 'numeric', values: Float64Array.from(rows, (r) => Math.floor((r.ts % 86_400) / 3600)) },
      ],
    },
    labels: Uint8Array.from(rows, (r) => r.label),
  };
}
