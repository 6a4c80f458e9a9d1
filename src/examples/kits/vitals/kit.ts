/**
 * Vitals kit: minute-by-minute monitoring of a ward; which approach raises the fewest false alarms
 * per patient-day at a given alarm budget while still catching desaturations and arrhythmias?
 */
import type { Kit, KitResult } from '../kit.js';
import { bestApproach, measure } from '../measure.js';
import { detectorApproach, runSeries, testLabels, unitReport, busiestUnit, type SeriesApproach } from '../series.js';
import { generateVitals } from './generate.js';
import { artefactAware, fixedLimits } from './artefact-filter.js';

/** Alarm-minutes per patient and day the ward accepts. */
export const VITALS_BUDGET_PER_PATIENT = 20;
const DAYS = 3;

export const VITALS_APPROACHES: SeriesApproach[] = [
  fixedLimits,
  detectorApproach('rolling-z (1 h)', 'rolling-z', { window: 60 }),
  detectorApproach('rolling-mad (1 h)', 'rolling-mad', { window: 60 }),
  detectorApproach('ewma', 'ewma', { alpha: 0.05 }),
  artefactAware,
  detectorApproach('window-autoencoder', 'window-autoencoder', { window: 16, epochs: 5, seed: 1 }, true),
];

export const vitalsKit: Kit = {
  name: 'vitals',
  summary: 'heart rate, blood pressure and SpO2 of a ward with artefacts that are not events and real events; false alarms per patient-day',
  async run(o): Promise<KitResult> {
    const patients = Math.max(2, Math.round(8 * o.size));
    const data = generateVitals(o.seed, { patients, days: DAYS, eventsFromDay: 1 });
    const split = { trainSteps: 1440, validationSteps: 1440 };
    const runs = await runSeries(data.units, VITALS_APPROACHES, split, o);
    const labels = testLabels(data.units, split);
    const budget = VITALS_BUDGET_PER_PATIENT * patients;
    const measured = runs.map((r) => {
      const m = measure(r.name, { validation: r.validation, validationDays: 1, test: r.test, labels, testDays: 1 }, budget);
      let fp = 0;
      for (let i = 0; i < labels.length; i++) if (!labels[i] && r.test[i]! > m.cutoff) fp++;
      return { ...m, result: { ...m.result, false_alarms_per_patient_day: fp / patients } };
    });
    const best = bestApproach(measured.map((m) => m.result));
    const eventMinutes = data.units.reduce((a, u) => a + u.labels.reduce((x, y) => x + y, 0), 0);
    const artefactMinutes = data.artefacts.reduce((a, u) => a + u.reduce((x, y) => x + y, 0), 0);
    const shown = busiestUnit(data.units, 2880);
    return {
      kit: 'vitals',
      data: `${patients} patients x ${DAYS} days at 1/min (hr, sbp, dbp, spo2), ${data.events} events over ${eventMinutes} minutes, ${artefactMinutes} artefact minutes; learn day 1, validation day 2, test day 3`,
      budget: `${budget} alarm-minutes per day on the ward (${VITALS_BUDGET_PER_PATIENT} per patient)`,
      approaches: measured.map((m) => m.result),
      extraColumns: ['false_alarms_per_patient_day'],
      report: unitReport(runs[best]!, data.units[shown]!, { index: shown, testAt: 2880, cutoff: measured[best]!.cutoff, stepMs: 60_000, channel: 'spo2', column: 3 }),
    };
  },
};
