/**
 * A kit: one classic use of anomaly detection end to end, on seeded data that looks like the real
 * thing with known planted anomalies. Running a kit generates the data, fits every approach on the
 * earlier part, picks each approach's threshold on a validation stretch to meet the kit's alert
 * budget, and measures on the last stretch. Core-pure: no files, no printing (the CLI does those).
 */
import type { ApproachResult } from './measure.js';

export interface KitOptions {
  /** Seeds the generator and every approach: the same seed gives the same table. */
  seed: number;
  /** Scales the data (1 = the default size; tests use less, `--size 4` a bigger run). */
  size: number;
  /** Leave out the deep approaches (tests at tiny sizes). */
  quick?: boolean;
  /** Called with a line of progress ("fitting iforest"). */
  onProgress?: (message: string) => void;
}

/**
 * What the report of a kit shows: the best approach's test scores against the truth (for series
 * kits, on one unit, whose series is charted), with the kit's whole table beside it.
 */
export interface KitReportInput {
  approach: string;
  /** What the scores are of when not the whole test stretch ("pump-1"). */
  subject?: string;
  scores: number[];
  labels: number[];
  threshold: number;
  rowsPerDay: number;
  series?: { t: number[]; value: number[]; name: string; dates: boolean };
}

export interface KitResult {
  kit: string;
  /** One line on the data (rows, days, anomalies planted). */
  data: string;
  /** The alert budget the thresholds were chosen for, in words ("20 alerts per day"). */
  budget: string;
  approaches: ApproachResult[];
  /** Extra table columns beyond the contract's, in order (e.g. lead_time_h). */
  extraColumns: (keyof ApproachResult)[];
  report: KitReportInput;
}

export interface Kit {
  name: string;
  summary: string;
  run(options: KitOptions): Promise<KitResult>;
}
