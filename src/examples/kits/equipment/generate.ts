/**
 * Hourly condition monitoring of a fleet of pumps: two vibration channels (RMS velocity, mm/s), the
 * vibration's kurtosis and the bearing temperature (deg C). Machines run in shifts (weekdays 6-22,
 * Saturday mornings), so vibration and temperature follow the schedule and the temperature lags
 * behind it. Planted, with their truth:
 * - `wear`: a bearing that wears over 5-9 days (vibration, kurtosis and temperature creep up,
 *   slowly then faster) until it fails; the 72 hours before the failure are labelled, the window
 *   in which maintenance wants a warning;
 * - `break`: a sudden break with no precursor (vibration x5, temperature climbing), 6 hours labelled;
 * - `sensor`: a temperature sensor stuck at one reading, or a vibration sensor dropping out to 0.
 */
import { matrix } from '../../../core/matrix.js';
import { Rng } from '../../../core/random.js';
import type { SeriesUnit } from '../series.js';

export const EQUIPMENT_CHANNELS = ['vib_x', 'vib_y', 'kurtosis', 'temp'] as const;
export const WEAR_WARNING_HOURS = 72;

export interface Failure {
  unit: number;
  kind: 'wear' | 'break';
  /** Step of the failure (wear) or the break. */
  at: number;
}

export interface EquipmentData {
  units: SeriesUnit[];
  failures: Failure[];
  steps: number;
}

function running(h: number): boolean {
  const day = Math.floor(h / 24) % 7;
  const hour = h % 24;
  if (day < 5) return hour >= 6 && hour < 22;
  return day === 5 && hour >= 6 && hour < 14;
}

/** `machines` machines, `days` days; events fall after `eventsFrom` (days), so training is clean. */
export function generateEquipment(seed: number, o: { machines: number; days: number; eventsFrom: number }): EquipmentData {
  const rng = new Rng(seed);
  const steps = o.days * 24;
  const from = o.eventsFrom * 24;
  const units: SeriesUnit[] = [];
  const failures: Failure[] = [];
  for (let m = 0; m < o.machines; m++) {
    const vib = 1.8 + 0.8 * rng.next();
    const heat = 22 + 8 * rng.next();
    const wear = new Float64Array(steps);
    const labels = new Uint8Array(steps);
    // One wear failure for most machines, somewhere after the training days.
    if (rng.next() < 0.85) {
      const at = from + 24 * 4 + rng.int(steps - from - 24 * 5);
      const onset = at - 24 * (5 + rng.int(5));
      for (let t = Math.max(0, onset); t < at; t++) wear[t] = ((t - onset) / (at - onset)) ** 2;
      for (let t = Math.max(0, at - WEAR_WARNING_HOURS); t <= Math.min(steps - 1, at + 2); t++) labels[t] = 1;
      failures.push({ unit: m, kind: 'wear', at });
    }
    let broken = -1;
    if (rng.next() < 0.5) {
      broken = from + rng.int(steps - from - 8);
      if (labels[broken]) broken = -1;
      else {
        for (let t = broken; t < broken + 6; t++) labels[t] = 1;
        failures.push({ unit: m, kind: 'break', at: broken });
      }
    }
    let stuck = -1;
    let dropout = -1;
    if (rng.next() < 0.6) {
      const at = from + rng.int(steps - from - 40);
      if (rng.next() < 0.5) stuck = at;
      else dropout = at;
    }
    const X = matrix(steps, EQUIPMENT_CHANNELS.length);
    let temp = 20;
    for (let t = 0; t < steps; t++) {
      const on = running(t);
      const ambient = 18 + 3 * Math.sin((2 * Math.PI * (t % 24 - 9)) / 24);
      const w = wear[t]!;
      const hit = broken >= 0 && t >= broken && t < broken + 6 ? 1 : 0;
      const level = on ? vib * (1 + 1.6 * w + 4 * hit) : 0.15;
      temp += 0.35 * ((on ? ambient + heat + 12 * w + 20 * hit : ambient) - temp) + 0.3 * rng.normal();
      let vx = Math.max(0.02, level * (1 + 0.08 * rng.normal()));
      const vy = Math.max(0.02, level * 0.8 * (1 + 0.08 * rng.normal()));
      const kurt = on ? 3 + 5 * w + 6 * hit + 0.25 * rng.normal() : 3 + 0.4 * rng.normal();
      let reading = temp;
      if (stuck >= 0 && t >= stuck && t < stuck + 30) {
        reading = X.data[(stuck - 1) * 4 + 3]!;
        labels[t] = 1;
      }
      if (dropout >= 0 && t >= dropout && t < dropout + 24 && rng.next() < 0.3) {
        vx = 0;
        labels[t] = 1;
      }
      X.data.set([vx, vy, kurt, reading], t * 4);
    }
    units.push({ id: `pump-${m + 1}`, values: X, labels });
  }
  return { units, failures, steps };
}
