/** The column report of a tabular model as short text, for `vigil fit` and `vigil inspect`. */
import type { ColumnEntry, ColumnReport, ColumnWarning } from '../model/column-report.js';
import type { TrainingSummary } from '../model/training-summary.js';

/** Longest list of names on one line before it is shortened to its first few and last. */
const MAX_NAMES = 8;

/** One line per group of columns that share role, kind and reason; categorical ones with their levels. */
export function renderColumnReport(report: ColumnReport): string[] {
  const groups = new Map<string, ColumnEntry[]>();
  for (const c of report.columns) {
    const key = `${c.role}\u0000${c.kind ?? ''}\u0000${c.reason ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const count = (role: string): number => report.columns.filter((c) => c.role === role).length;
  const parts = (['feature', 'label', 'id', 'entity', 'timestamp', 'ignored'] as const)
    .filter((r) => count(r) > 0)
    .map((r) => {
      const name = r === 'entity' ? 'entity key' : r;
      return `${count(r)} ${count(r) === 1 || r === 'ignored' ? name : `${name}s`}`;
    });
  const lines = [`columns (${report.columns.length}): ${parts.join(', ')}`];
  const rows = [...groups.values()].map((g) => {
    const first = g[0]!;
    const what = first.role === 'feature' ? `feature ${first.kind}` : first.role === 'timestamp' ? 'timestamp, not a feature' : first.role === 'entity' ? 'entity key, not a feature' : first.role;
    return { what, names: names(g), reason: first.reason };
  });
  const width = Math.max(...rows.map((r) => r.what.length));
  for (const r of rows) lines.push(`  ${r.what.padEnd(width)}  ${r.names}${r.reason ? ` (${r.reason})` : ''}`);
  return lines;
}

function names(group: ColumnEntry[]): string {
  const shown = (c: ColumnEntry): string => {
    if (c.levels === undefined) return c.name;
    const lv = `${c.levels} level${c.levels === 1 ? '' : 's'}`;
    return `${c.name} [${c.cap !== undefined ? `${lv}, capped at ${c.cap}` : lv}]`;
  };
  if (group.length <= MAX_NAMES) return group.map(shown).join(', ');
  return `${group.slice(0, MAX_NAMES - 2).map(shown).join(', ')}, ..., ${shown(group[group.length - 1]!)} (${group.length} columns)`;
}

/** A warning with what to do about it on the command line. */
export function warningWithHint(w: ColumnWarning): string {
  switch (w.code) {
    case 'id-like':
      return `${w.message}: leave it out with --ignore ${w.column} (or name it with --id ${w.column})`;
    case 'label-like':
      return `${w.message}: if it is the label, pass --label ${w.column}`;
    case 'capped':
      return w.message;
  }
}

/** `training: 2000 rows x 9 features in 0.27s; 33 rows (1.65%) above the threshold` */
export function renderTraining(t: TrainingSummary): string[] {
  const q = t.scores;
  const g = (v: number): string => v.toPrecision(4);
  return [
    `training: ${t.rows} rows x ${t.features} features, fitted in ${t.fitSeconds.toFixed(2)}s; ${t.flagged} rows (${(100 * t.rate).toFixed(2)}%) above the threshold`,
    `training scores: min ${g(q.min)}, p25 ${g(q.p25)}, median ${g(q.p50)}, p75 ${g(q.p75)}, p90 ${g(q.p90)}, p99 ${g(q.p99)}, max ${g(q.max)}`,
  ];
}
