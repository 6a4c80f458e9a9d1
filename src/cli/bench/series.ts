/** What `bench nab --detector` and `bench smap` share: choosing series detectors, and the metrics tables. */
import { seriesDetectors, type SeriesDetector } from '../../detectors/series/index.js';
import type { RowMetrics } from '../../evaluate/pooled.js';
import { renderTable } from '../table.js';
import { UsageError } from '../usage-error.js';
import { detectorSets } from './detector-sets.js';

/**
 * `--detector a` or `--detector a,b`: the series detectors to run, each with its `--set` options
 * (`key=value` for a single detector; `name.key=value` addresses one of several).
 */
export function seriesDetectorSet(
  names: string,
  set: string[],
): { name: string; label: string; takes: (option: string) => boolean; make: (extra?: Record<string, number>) => SeriesDetector }[] {
  const list = names.split(',').map((s) => s.trim()).filter(Boolean);
  const known = seriesDetectors.map((d) => d.name);
  if (new Set(list).size !== list.length) throw new UsageError(`--detector names a detector twice: ${names}`);
  const per = detectorSets(set, list, 'single');
  return list.map((n) => {
    const def = seriesDetectors.find((d) => d.name === n);
    if (!def) throw new UsageError(`unknown series detector '${n}' (known: ${known.join(', ')})`);
    const options = per[n]!;
    def(options);
    const shown = Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return { name: n, label: [n, ...shown].join(' '), takes: (option) => option in def.schema.shape, make: (extra) => def({ ...options, ...extra }) };
  });
}

/** Point-wise, range-based and event-wise figures as a table; point-adjusted labelled as optimistic. */
export function metricsTable(m: RowMetrics): string {
  const rows: (string | number)[][] = [
    ['point-wise (no adjustment)', m.point.precision, m.point.recall, m.point.f1],
    ['range-based (Tatbul 2018)', m.range.precision, m.range.recall, m.range.f1],
    ['event-wise', m.event.precision, m.event.recall, m.event.f1],
  ];
  if (m.pointAdjusted) rows.push(['point-adjusted (optimistic)', m.pointAdjusted.precision, m.pointAdjusted.recall, m.pointAdjusted.f1]);
  return renderTable(['metric', 'precision', 'recall', 'F1'], rows, 4);
}

export function metricsJson(m: RowMetrics): Record<string, unknown> {
  const pick = (x: { precision: number; recall: number; f1: number }) => ({ precision: x.precision, recall: x.recall, f1: x.f1 });
  return {
    point: pick(m.point),
    range: pick(m.range),
    event: pick(m.event),
    ...(m.pointAdjusted ? { pointAdjusted: { ...pick(m.pointAdjusted), note: 'point-adjusted (optimistic)' } } : {}),
  };
}
