/**
 * What a table row says about one approach: ranking quality on the test stretch (PR-AUC, ROC-AUC)
 * and what its alert budget does there. The threshold is chosen on validation scores (the budget's
 * worth of the highest), never on the test scores it is judged on, so alerts per day can miss
 * the budget the way they would in production.
 */
import { averagePrecision, rocAuc } from '../../evaluate/metrics.js';
import { budgetCutoff, cutStats } from '../../threshold/cost.js';

export interface ApproachResult {
  name: string;
  pr_auc: number;
  roc_auc: number;
  precision: number;
  recall: number;
  alerts_per_day: number;
  /** Equipment: mean hours between the first persistent alerting and the wear failure it warns of. */
  lead_time_h?: number;
  /** Equipment: wear failures warned of, and sudden breaks alerted as they happen, as "k/n". */
  wear_warned?: string;
  breaks_caught?: string;
  /** Vitals: alerts that are not events, per patient-day. */
  false_alarms_per_patient_day?: number;
  /** Intrusion: attacks with at least one alerted row, of all attacks. */
  attacks_found?: string;
}

export interface Scored {
  /** Scores of the validation stretch, where the threshold is chosen. */
  validation: ArrayLike<number>;
  validationDays: number;
  /** Scores and truth of the test stretch, where the approach is judged. */
  test: ArrayLike<number>;
  labels: ArrayLike<number>;
  testDays: number;
}

/** Budget cut on validation, then the contract's figures on test; also returns the cut. */
export function measure(name: string, s: Scored, perDay: number): { result: ApproachResult; cutoff: number } {
  const cutoff = budgetCutoff(s.validation, perDay, s.validationDays);
  const labels = Array.from(s.labels, (v) => (v ? 1 : 0));
  const stats = cutStats(s.test, cutoff, { labels, days: s.testDays });
  return {
    cutoff,
    result: {
      name,
      pr_auc: averagePrecision(labels, s.test),
      roc_auc: rocAuc(labels, s.test),
      precision: stats.precision ?? 0,
      recall: stats.recall ?? 0,
      alerts_per_day: stats.alertsPerDay ?? 0,
    },
  };
}

/** Index of the approach with the highest PR-AUC (the kit's "best" in its report and tests). */
export function bestApproach(results: readonly ApproachResult[]): number {
  let best = 0;
  results.forEach((r, i) => {
    if (r.pr_auc > results[best]!.pr_auc) best = i;
  });
  return best;
}
