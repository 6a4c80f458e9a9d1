/**
 * Card transactions of a small bank: customers with home countries, cards, devices, home and
 * mobile IPs, favourite merchants, their own spending level and daytime habits. Four kinds of fraud
 * are planted, each labelled with its type:
 * - `large`: one purchase many times the customer's usual amount, on their own card and device;
 * - `ip-burst`: card testing, one IP trying many cards with small amounts within half an hour;
 * - `risky-location`: a purchase from a high-risk country on a new IP;
 * - `takeover`: a new device and country, then a run of purchases within a few hours.
 */
import { Rng } from '../../../core/random.js';
import { DAY_MS, HOUR_MS, KIT_START } from '../frames.js';
import { logNormal, pick, poisson, weighted } from '../sampling.js';

export type FraudType = 'none' | 'large' | 'ip-burst' | 'risky-location' | 'takeover';

export interface Transaction {
  ts: number;
  customer: string;
  card: string;
  ip: string;
  device: string;
  country: string;
  merchant: string;
  category: string;
  amount: number;
  type: FraudType;
}

export interface FraudData {
  days: number;
  transactions: Transaction[];
}

const HOME = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL'];
const HOME_WEIGHTS = [30, 20, 15, 12, 9, 8, 6];
/** Countries a fraud team treats as high-risk for this bank (synthetic list). */
export const RISKY = ['XR', 'YR', 'ZR'];
const CATEGORIES = ['grocery', 'fuel', 'restaurant', 'online', 'travel', 'electronics'];
const CATEGORY_SCALE: Record<string, number> = { grocery: 1, fuel: 1.3, restaurant: 0.9, online: 1.2, travel: 4, electronics: 3 };

interface Customer {
  id: string;
  cards: string[];
  devices: string[];
  ips: string[];
  country: string;
  mu: number;
  rate: number;
  merchants: string[];
  peakHour: number;
}

const ip = (rng: Rng): string => `${10 + rng.int(200)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;

function customers(rng: Rng, n: number): Customer[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `c${String(i).padStart(5, '0')}`;
    return {
      id,
      cards: Array.from({ length: 1 + (rng.next() < 0.3 ? 1 : 0) }, (_, k) => `card${i}-${k}`),
      devices: Array.from({ length: 1 + (rng.next() < 0.4 ? 1 : 0) }, (_, k) => `dev${i}-${k}`),
      ips: [ip(rng), ip(rng)],
      country: weighted(rng, HOME, HOME_WEIGHTS),
      mu: 3 + 0.5 * rng.normal(),
      rate: 0.6 + 2.4 * rng.next(),
      merchants: Array.from({ length: 6 }, () => `m${rng.int(400)}`),
      peakHour: 11 + 6 * rng.next(),
    };
  });
}

function ordinary(rng: Rng, c: Customer, day: number): Transaction {
  const hour = Math.min(23.9, Math.max(6, c.peakHour + 3 * rng.normal()));
  const category = weighted(rng, CATEGORIES, [30, 12, 18, 25, 3, 4]);
  const travelling = rng.next() < 0.04;
  return {
    ts: KIT_START + day * DAY_MS + Math.round(hour * HOUR_MS),
    customer: c.id,
    card: pick(rng, c.cards),
    ip: rng.next() < 0.7 ? c.ips[0]! : c.ips[1]!,
    device: pick(rng, c.devices),
    country: travelling ? pick(rng, HOME) : c.country,
    merchant: rng.next() < 0.8 ? pick(rng, c.merchants) : `m${rng.int(400)}`,
    category,
    amount: round2(logNormal(rng, c.mu, 0.6) * CATEGORY_SCALE[category]!),
    type: 'none',
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function large(rng: Rng, c: Customer, t: number): Transaction[] {
  const category = pick(rng, ['electronics', 'travel', 'online']);
  const amount = round2(Math.exp(c.mu) * (12 + 20 * rng.next()) * CATEGORY_SCALE[category]!);
  return [{ ts: t, customer: c.id, card: c.cards[0]!, ip: c.ips[0]!, device: c.devices[0]!, country: c.country, merchant: `m${rng.int(400)}`, category, amount, type: 'large' }];
}

function ipBurst(rng: Rng, all: Customer[], t: number): Transaction[] {
  const from = ip(rng);
  const country = pick(rng, HOME);
  const merchant = `m${rng.int(400)}`;
  return Array.from({ length: 10 + rng.int(16) }, (_, k) => {
    const c = pick(rng, all);
    return { ts: t + k * 40_000 + rng.int(60_000), customer: c.id, card: pick(rng, c.cards), ip: from, device: `bot-${from}`, country, merchant, category: 'online', amount: round2(1 + 9 * rng.next()), type: 'ip-burst' as const };
  });
}

function risky(rng: Rng, c: Customer, t: number): Transaction[] {
  const category = pick(rng, ['online', 'electronics']);
  return [{ ts: t, customer: c.id, card: pick(rng, c.cards), ip: ip(rng), device: pick(rng, c.devices), country: pick(rng, RISKY), merchant: `m${rng.int(400)}`, category, amount: round2(logNormal(rng, c.mu + 1, 0.5) * CATEGORY_SCALE[category]!), type: 'risky-location' }];
}

function takeover(rng: Rng, c: Customer, t: number): Transaction[] {
  const device = `dev-new-${c.id}-${t}`;
  const from = ip(rng);
  const country = pick(rng, HOME.filter((h) => h !== c.country));
  let at = t;
  return Array.from({ length: 6 + rng.int(10) }, (_, k) => {
    at += 5 * 60_000 + rng.int(15 * 60_000);
    const category = pick(rng, ['electronics', 'online', 'travel']);
    return { ts: at, customer: c.id, card: pick(rng, c.cards), ip: from, device, country, merchant: `m${rng.int(400)}`, category, amount: round2(Math.exp(c.mu) * (1.5 + k * 0.6) * CATEGORY_SCALE[category]!), type: 'takeover' as const };
  });
}

/** `customers` customers over `days` days; fraud rates per day are fixed so size scales both. */
export function generateFraud(seed: number, o: { customers: number; days: number }): FraudData {
  const rng = new Rng(seed);
  const people = customers(rng, o.customers);
  const scale = o.customers / 400;
  const out: Transaction[] = [];
  for (let day = 0; day < o.days; day++) {
    for (const c of people) for (let k = poisson(rng, c.rate); k > 0; k--) out.push(ordinary(rng, c, day));
    const at = (): number => KIT_START + day * DAY_MS + Math.round((rng.next() * 24) * HOUR_MS);
    for (let k = poisson(rng, 1.5 * scale); k > 0; k--) out.push(...large(rng, pick(rng, people), at()));
    for (let k = poisson(rng, 0.4 * scale); k > 0; k--) out.push(...ipBurst(rng, people, at()));
    for (let k = poisson(rng, 1 * scale); k > 0; k--) out.push(...risky(rng, pick(rng, people), at()));
    for (let k = poisson(rng, 0.3 * scale); k > 0; k--) out.push(...takeover(rng, pick(rng, people), at()));
  }
  out.sort((a, b) => a.ts - b.ts);
  return { days: o.days, transactions: out };
}
