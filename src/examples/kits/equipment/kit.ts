/**
 * Equipment kit: a fleet of pumps, hourly vibration and temperature; which approach warns of a
 * failing bearing early enough to plan the repair, without paging the engineers all week?
 */
import type { Kit, KitResult } from '../kit.js';
import { bestApproach, measure } from '../measure.js';
import { detectorApproach, runSeries, testLabels, unitReport, busiestUnit, type SeriesApproach } from '../series.js';
import { generateEquipment } from './generate.js';
import { leadTimes } from './lead-time.js';
import { operatingBaseline } from './operating-baseline.js';

/** Alert-hours per machine and day the maintenance team accepts. */
export const EQUIPMENT_BUDGET_PER_MACHINE = 2;

const DAYS = 60;
const TRAIN_DAYS = 28;
const VALIDATION_DAYS = 12;

export const EQUIPMENT_APPROACHES: SeriesApproach[] = [
  detectorApproach('rolling-z (1 week)', 'rolling-z', { window: 168 }),
  detectorApproach('rolling-mad (1 week)', 'rolling-mad', { window: 168 }),
  detectorApproach('ewma', 'ewma', { alpha: 0.02 }),
  detectorApproach('seasonal (weekly shifts)', 'seasonal', { period: 168 }),
  operatingBaseline,
  detectorApproach('window-autoencoder', 'window-autoencoder', { window: 24, epochs: 8, seed: 1 }, true),
];

export const equipmentKit: Kit = {
  name: 'equipment',
  summary: 'hourly vibration and temperature of a pump fleet with slow bearing wear, sensor faults and sudden breaks; lead time before failures',
  async run(o): Promise<KitResult> {
    const machines = Math.max(2, Math.round(6 * o.size));
    const data = generateEquipment(o.seed, { machines, days: DAYS, eventsFrom: TRAIN_DAYS });
    const split = { trainSteps: TRAIN_DAYS * 24, validationSteps: VALIDATION_DAYS * 24 };
    const runs = await runSeries(data.units, EQUIPMENT_APPROACHES, split, o);
    const labels = testLabels(data.units, split);
    const testDays = DAYS - TRAIN_DAYS - VALIDATION_DAYS;
    const budget = EQUIPMENT_BUDGET_PER_MACHINE * machines;
    const testAt = split.trainSteps + split.validationSteps;
    const measured = runs.map((r) => {
      const m = measure(r.name, { validation: r.validation, validationDays: VALIDATION_DAYS, test: r.test, labels, testDays }, budget);
      const lead = leadTimes(data.failures, r.perUnit, m.cutoff, testAt);
      return { ...m, result: { ...m.result, lead_time_h: lead.meanHours, wear_warned: `${lead.warned}/${lead.failures}`, breaks_caught: `${lead.breaksCaught}/${lead.breaks}` } };
    });
    const best = bestApproach(measured.map((m) => m.result));
    const wear = data.failures.filter((f) => f.kind === 'wear').length;
    const shown = busiestUnit(data.units, testAt);
    return {
      kit: 'equipment',
      data: `${machines} pumps x ${DAYS} days hourly (4 channels), ${wear} bearing-wear failures, ${data.failures.length - wear} sudden breaks, sensor faults; train days 1-${TRAIN_DAYS}, validation ${TRAIN_DAYS + 1}-${TRAIN_DAYS + VALIDATION_DAYS}, test ${TRAIN_DAYS + VALIDATION_DAYS + 1}-${DAYS}`,
      budget: `${budget} alert-hours per day over the fleet (${EQUIPMENT_BUDGET_PER_MACHINE} per machine)`,
      approaches: measured.map((m) => m.result),
      extraColumns: ['lead_time_h', 'wear_warned', 'breaks_caught'],
      report: unitReport(runs[best]!, data.units[shown]!, { index: shown, testAt, cutoff: measured[best]!.cutoff, stepMs: 3_600_000, channel: 'vib_x' }),
    };
  },
};
