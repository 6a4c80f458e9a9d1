/** A kit's result as a report: the best approach's test scores, charts, and the kit's whole table. */
import { buildReport, type ReportData } from '../../report/index.js';
import type { KitResult } from './kit.js';

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function kitReport(r: KitResult): ReportData {
  const rep = r.report;
  const of = rep.subject ? ` on ${rep.subject}` : '';
  return buildReport({
    title: `vigil example ${r.kit}: ${rep.approach}${of}`,
    modelSummary: {
      kind: rep.series ? 'series' : 'tabular',
      detector: rep.approach,
      options: {},
      threshold: { cutoff: rep.threshold, how: `the highest validation scores that fit ${r.budget}` },
    },
    scores: rep.scores,
    threshold: rep.threshold,
    labels: rep.labels,
    rowsPerDay: rep.rowsPerDay,
    ...(rep.series ? { series: rep.series } : {}),
    comparisons: r.approaches.map((a) => ({
      name: a.name,
      pr_auc: orNull(a.pr_auc),
      roc_auc: orNull(a.roc_auc),
      precision: orNull(a.precision),
      recall: orNull(a.recall),
      alerts_per_day: orNull(a.alerts_per_day),
    })),
  });
}
