/**
 * Bedside monitor data, one reading a minute per patient: heart rate, systolic and diastolic blood
 * pressure, oxygen saturation. Each patient has their own baseline and a day-night rhythm.
 * Artefacts, labelled 0 since they are not events (what makes bedside alarms 80-99% false):
 * probe-off SpO2 drops for 1-3 minutes, motion spikes in the heart rate, arterial-line flushes.
 * Events, labelled 1: desaturation (SpO2 sliding to 82-88% for 5-15 minutes, the heart rate up)
 * and arrhythmia-like runs (fast, irregular heart rate for 5-20 minutes).
 */
import { matrix } from '../../../core/matrix.js';
import { Rng } from '../../../core/random.js';
import { poisson } from '../sampling.js';
import type { SeriesUnit } from '../series.js';

export const VITALS_CHANNELS = ['hr', 'sbp', 'dbp', 'spo2'] as const;
const MIN_PER_DAY = 1440;

export interface VitalsData {
  units: SeriesUnit[];
  /** Per patient, 1 where an artefact was planted (labelled 0). */
  artefacts: Uint8Array[];
  events: number;
}

export function generateVitals(seed: number, o: { patients: number; days: number; eventsFromDay: number }): VitalsData {
  const rng = new Rng(seed);
  const steps = o.days * MIN_PER_DAY;
  const units: SeriesUnit[] = [];
  const artefacts: Uint8Array[] = [];
  let events = 0;
  for (let p = 0; p < o.patients; p++) {
    const hr0 = 62 + 20 * rng.next();
    const sbp0 = 112 + 20 * rng.next();
    const spo0 = 96 + 2.5 * rng.next();
    const dHr = new Float64Array(steps);
    const dSpo = new Float64Array(steps);
    const irregular = new Uint8Array(steps);
    const labels = new Uint8Array(steps);
    const art = new Uint8Array(steps);
    for (let day = o.eventsFromDay; day < o.days; day++) {
      for (let k = poisson(rng, 0.8); k > 0; k--) {
        const at = day * MIN_PER_DAY + rng.int(MIN_PER_DAY - 40);
        const depth = spo0 - (82 + 6 * rng.next());
        const len = 5 + rng.int(11);
        for (let t = 0; t < len + 8; t++) {
          const shape = t < 4 ? t / 4 : t < len + 4 ? 1 : 1 - (t - len - 4) / 4;
          dSpo[at + t] = -depth * shape;
          dHr[at + t] = 12 * shape;
          if (shape > 0.3) labels[at + t] = 1;
        }
        events++;
      }
      for (let k = poisson(rng, 0.6); k > 0; k--) {
        const at = day * MIN_PER_DAY + rng.int(MIN_PER_DAY - 25);
        const len = 5 + rng.int(16);
        for (let t = 0; t < len; t++) {
          irregular[at + t] = 1;
          labels[at + t] = 1;
        }
        events++;
      }
    }
    const X = matrix(steps, 4);
    let ar = 0;
    for (let t = 0; t < steps; t++) {
      const circadian = Math.sin((2 * Math.PI * ((t % MIN_PER_DAY) / 60 - 10)) / 24);
      ar = 0.9 * ar + 1.2 * rng.normal();
      let hr = hr0 + 7 * circadian + ar + dHr[t]!;
      if (irregular[t]) hr = 135 + 30 * rng.next();
      const sbp = sbp0 + 8 * circadian + 0.4 * ar + 3 * rng.normal();
      const dbp = 0.62 * sbp + 4 + 2 * rng.normal();
      const spo2 = Math.min(100, spo0 + 0.6 * rng.normal() + dSpo[t]!);
      X.data.set([hr, sbp, dbp, spo2], t * 4);
    }
    // Artefacts go over whatever is there, at every hour of every day, training included.
    const planted = (n: number, len: () => number, apply: (t: number) => void): void => {
      for (let k = 0; k < n; k++) {
        const at = rng.int(steps - 4);
        const l = len();
        for (let t = at; t < at + l; t++) {
          if (labels[t]) continue;
          apply(t);
          art[t] = 1;
        }
      }
    };
    planted(poisson(rng, 4 * o.days), () => 1 + rng.int(3), (t) => (X.data[t * 4 + 3] = 40 + 40 * rng.next()));
    planted(poisson(rng, 6 * o.days), () => 1 + rng.int(2), (t) => (X.data[t * 4] = X.data[t * 4]! + 35 + 30 * rng.next()));
    planted(poisson(rng, 2 * o.days), () => 1 + rng.int(2), (t) => {
      X.data[t * 4 + 1] = 220 + 40 * rng.next();
      X.data[t * 4 + 2] = 190 + 30 * rng.next();
    });
    units.push({ id: `bed-${p + 1}`, values: X, labels });
    artefacts.push(art);
  }
  return { units, artefacts, events };
}
