/**
 * A report as one self-contained HTML page: opened from disk it needs nothing else (uPlot's
 * script and stylesheet are inlined, the data is JSON in the page, a content security policy
 * forbids every fetch). Tables are written here as escaped HTML; charts are drawn in the page by
 * drawReport (page-script.ts) from the JSON.
 */
import type { Comparison, ReportData, TopRow } from '../../report/index.js';
import { describeThreshold, describeChoice } from '../threshold-flags.js';
import { AUTO_RULE_TEXT } from '../fit-report.js';
import { writeOutputFile } from '../output.js';
import { chartAssets } from './assets.js';
import { drawReport } from './page-script.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for HTML content and attribute values. */
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ESC[c]!);

/** JSON safe inside a script element: no `</script>`, no `<!--`, no line separators JavaScript reads as newlines. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A library's source inside a script or style element: a closing tag in it cannot end the element. */
const inlined = (text: string, tag: 'script' | 'style'): string => text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

const num = (v: number | null | undefined, digits = 4): string => {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '–';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(digits)));
};
const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);
const table = (head: string[], rows: string[][], cls = ''): string =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

function modelSection(d: ReportData): string {
  const m = d.model;
  const t = m.threshold;
  const how = t.how ?? (t.spec ? describeThreshold(t.spec) + (t.autoRule ? `: ${AUTO_RULE_TEXT[t.autoRule]}` : '') : 'given');
  const opts = Object.entries(m.options).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const facts: [string, string][] = [
    ['detector', `${esc(m.detector)}${m.kind === 'series' ? ' (series)' : ''}`],
    ['options', opts.length ? esc(opts.join(', ')) : 'defaults'],
    ['threshold', `${esc(num(t.cutoff, 6))} (${esc(how)})`],
  ];
  if (t.choice) facts.push(['where it was chosen', esc(describeChoice(t.choice).replace(/^at the threshold: /, ''))]);
  if (m.auto) facts.push(['auto', esc(`${m.auto.method}: chose ${m.auto.chosen}; ${m.auto.reason}`)]);
  if (m.features !== undefined) facts.push(['features', String(m.features)]);
  if (m.training) facts.push(['training', esc(`${m.training.rows} rows, ${m.training.flagged} above the threshold (${pct(m.training.rate)}), fitted in ${m.training.fitSeconds.toFixed(1)} s`)]);
  if (m.series) {
    const s = m.series;
    const which = s.seriesId === null ? '' : `; this report: ${s.seriesId} = ${s.id} (of ${s.ids} series)`;
    facts.push(['series', esc(`timestamp '${s.timestamp}', channels ${s.channels.join(', ')}${which}`)]);
  }
  if (m.explains !== undefined) facts.push(['explanations', m.explains ? 'per-column contributions to each score' : `${esc(m.detector)} cannot explain its scores`]);
  let html = `<section id="model"><h2>Model</h2><dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
  if (m.columns?.length) {
    const rows = m.columns.map((c) => [esc(c.name), esc(c.role), esc(c.kind ?? ''), c.levels === undefined ? '' : esc(`${c.levels}${c.cap !== undefined ? ` (capped at ${c.cap})` : ''}`), esc(c.reason ?? '')]);
    html += `<h3>Columns</h3>${table(['column', 'role', 'kind', 'levels', 'note'], rows, 'columns')}`;
  }
  if (m.warnings?.length) html += `<ul class="warnings">${m.warnings.map((w) => `<li>${esc(w.column)}: ${esc(w.message)}</li>`).join('')}</ul>`;
  return html + '</section>';
}

function thresholdSection(d: ReportData): string {
  const a = d.atThreshold;
  const cards: [string, string][] = [
    ['rows', num(d.rows)],
    ['alerts', `${num(d.alerts)} (${pct(d.alerts / d.rows)})`],
  ];
  if (a.alertsPerDay !== undefined) cards.push(['alerts per day', num(a.alertsPerDay, 3)]);
  if (a.recall !== undefined) cards.push(['recall', pct(a.recall)]);
  if (a.precision !== undefined) cards.push(['precision', pct(a.precision)]);
  if (a.f1 !== undefined) cards.push(['F1', num(a.f1, 3)]);
  if (a.cost !== undefined) cards.push(['cost', num(a.cost)]);
  if (d.roc) cards.push(['ROC-AUC', d.roc.area.toFixed(3)]);
  if (d.pr) cards.push(['PR-AUC (AP)', d.pr.area.toFixed(3)]);
  let html = `<section id="threshold"><h2>At the threshold ${esc(num(d.threshold, 6))}</h2><div class="cards">${cards
    .map(([k, v]) => `<div class="card"><div class="v">${esc(v)}</div><div class="k">${k}</div></div>`)
    .join('')}</div>`;
  if (a.confusion) {
    const c = a.confusion;
    html += `<h3>Confusion matrix</h3><table class="confusion"><thead><tr><th></th><th>alert (score &gt; threshold)</th><th>no alert</th></tr></thead><tbody>
<tr><th>labelled anomaly</th><td class="tp">${c.tp} true positives</td><td class="fn">${c.fn} missed</td></tr>
<tr><th>labelled normal</th><td class="fp">${c.fp} false alarms</td><td class="tn">${c.tn} true negatives</td></tr></tbody></table>`;
  } else {
    html += '<p class="note">No labels: give the data a 0/1 label column (<code>--label</code>) for the confusion matrix, recall, precision and the ROC and PR curves.</p>';
  }
  const cuts: { name: string; s: typeof a }[] = [{ name: "the model's threshold", s: a }];
  if (d.leastCost) cuts.push({ name: 'least cost on these rows', s: d.leastCost });
  if (d.budget) cuts.push({ name: `alert budget ${num(d.budget.perDay)}/day on these rows`, s: d.budget });
  if (cuts.length > 1 || d.costs) {
    const head = ['threshold', 'cut', 'alerts', 'alerts/day', 'recall', 'precision', 'missed', 'false alarms', ...(d.costs ? [`cost (${esc(num(d.costs.fn))} a miss, ${esc(num(d.costs.fp))} a false alarm)`] : [])];
    const rows = cuts.map(({ name, s }) => [
      esc(name),
      esc(num(s.cutoff, 6)),
      esc(num(s.alerts)),
      esc(num(s.alertsPerDay, 3)),
      s.recall === undefined ? '–' : pct(s.recall),
      s.precision === undefined ? '–' : pct(s.precision),
      esc(num(s.falseNegatives)),
      esc(num(s.falsePositives)),
      ...(d.costs ? [esc(num(s.cost))] : []),
    ]);
    html += `<h3>Cost and alert budget</h3>${table(head, rows, 'cuts')}`;
    if (d.costs && !d.labelled) html += '<p class="note">The cost needs labels: without them missed anomalies cannot be counted.</p>';
  }
  return html + '</section>';
}

function chartsSection(d: ReportData): string {
  const h = d.histogram;
  const folded = [h.below ? `${h.below} score${h.below === 1 ? ' below the range is' : 's below the range are'} in the first bar` : '', h.above ? `${h.above} score${h.above === 1 ? '' : 's'} above ${num(h.edges.at(-1))} ${h.above === 1 ? 'is' : 'are'} in the last bar` : '']
    .filter(Boolean)
    .join('; ');
  let html = `<section id="distribution"><h2>Score distribution</h2><div class="chart" id="chart-histogram"></div>${folded ? `<p class="note">${esc(folded)}.</p>` : ''}</section>`;
  if (d.roc || d.pr) {
    html += `<section id="curves"><h2>ROC and precision-recall</h2><div class="pair">`;
    if (d.roc) html += `<div><h3>ROC, AUC ${d.roc.area.toFixed(3)}</h3><div class="chart" id="chart-roc"></div></div>`;
    if (d.pr) html += `<div><h3>Precision-recall, AP (PR-AUC) ${d.pr.area.toFixed(3)}</h3><div class="chart" id="chart-pr"></div></div>`;
    html += '</div></section>';
  }
  if (d.series) {
    const s = d.series;
    const thinned = s.t.length < s.steps ? ` (${s.steps} steps drawn as ${s.t.length} points: the lowest and highest value of each pixel column, every anomaly kept)` : '';
    html += `<section id="series"><h2>Series: ${esc(s.name)}</h2><p class="note">Alerts (scores above the threshold) as red dots${d.labelled ? ', labelled anomalies as rings' : ''}; drag across a chart to zoom, double-click to zoom out${esc(thinned)}.</p><div class="chart" id="chart-series"></div><div class="chart" id="chart-score"></div></section>`;
  }
  return html;
}

function contributions(r: TopRow): string {
  if (!r.contributions) return '';
  const shown = r.contributions.slice(0, 6);
  const max = Math.max(...shown.map((c) => Math.abs(c.value)), 1e-300);
  return shown
    .map((c) => {
      const v = r.values?.[c.column];
      const w = Math.round((100 * Math.abs(c.value)) / max);
      return `<div class="contrib"><span class="name">${esc(c.column)}</span><span class="bar"><span style="width:${w}%"></span></span><span class="num">${esc(num(c.value, 3))}</span>${v === undefined ? '' : `<span class="val">= ${esc(typeof v === 'number' ? num(v) : (v ?? 'missing'))}</span>`}</div>`;
    })
    .join('');
}

function valuesText(r: TopRow): string {
  return Object.entries(r.values ?? {})
    .slice(0, 8)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : (v ?? 'missing')}`)
    .join(', ');
}

function topSection(d: ReportData): string {
  if (!d.top.length) return '';
  const series = d.series !== undefined;
  const withIds = d.top.some((r) => r.id !== undefined);
  const explained = d.top.some((r) => r.contributions);
  const valued = d.top.some((r) => r.values && Object.keys(r.values).length);
  const head = ['#', series ? 'step' : 'row', ...(withIds ? ['id'] : []), ...(series ? ['time'] : []), 'score', 'alert', ...(d.labelled ? ['label'] : []), ...(explained ? [series ? 'per-channel scores' : 'largest contributions (value)'] : valued ? ['values'] : [])];
  const time = (t: number | undefined): string => (t === undefined ? '' : d.series?.dates ? new Date(t).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '') : num(t));
  const rows = d.top.map((r) => [
    String(r.rank),
    String(r.row),
    ...(withIds ? [esc(r.id ?? '')] : []),
    ...(series ? [esc(time(r.t))] : []),
    esc(num(r.score, 5)),
    r.score > d.threshold ? '<span class="yes">yes</span>' : 'no',
    ...(d.labelled ? [r.label ? '<span class="yes">anomaly</span>' : 'normal'] : []),
    ...(explained ? [contributions(r)] : valued ? [esc(valuesText(r))] : []),
  ]);
  const note = explained || !valued ? '' : `<p class="note">${esc(d.model.detector)} cannot explain its scores; the table shows each row's values.</p>`;
  return `<section id="top"><h2>Top ${d.top.length} anomalies</h2>${note}${table(head, rows, 'top')}</section>`;
}

function comparisonSection(d: ReportData): string {
  if (!d.comparisons?.length) return '';
  const best = (k: keyof Comparison): number => Math.max(...d.comparisons!.map((c) => (c[k] as number | null) ?? -Infinity));
  const bestPr = best('pr_auc');
  const rows = d.comparisons.map((c) => [
    esc(c.name),
    c.pr_auc !== null && c.pr_auc === bestPr ? `<b>${esc(num(c.pr_auc, 3))}</b>` : esc(num(c.pr_auc, 3)),
    esc(num(c.roc_auc, 3)),
    esc(num(c.precision, 3)),
    esc(num(c.recall, 3)),
    esc(num(c.alerts_per_day, 3)),
  ]);
  return `<section id="comparison"><h2>Approaches compared</h2>${table(['approach', 'PR-AUC', 'ROC-AUC', 'precision', 'recall', 'alerts/day'], rows, 'comparison')}</section>`;
}

const STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f6f7f9}
body{margin:0 auto;max-width:1160px;padding:16px 24px 48px}
h1{font-size:1.5rem;margin:.4em 0 .1em}h2{font-size:1.15rem;margin:0 0 .6em}h3{font-size:1rem;margin:1em 0 .4em}
header p{margin:0;color:#5b6270}
section{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:14px 18px;margin:16px 0;overflow-x:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#5b6270}dd{margin:0;word-break:break-word}
table{border-collapse:collapse;font-size:.9rem;margin:.3em 0}th,td{border-bottom:1px solid #e8eaef;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f2f4f7;font-weight:600}td{font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #e1e4ea;border-radius:6px;padding:8px 14px;min-width:110px}
.card .v{font-size:1.25rem;font-weight:600}.card .k{color:#5b6270;font-size:.85rem}
.confusion td{min-width:150px;text-align:center}.tp{background:#e3f3e8}.tn{background:#f0f4fa}.fp,.fn{background:#fbe9e9}
.note{color:#5b6270;font-size:.88rem;margin:.4em 0}.warnings{color:#8a4b00}
.pair{display:flex;flex-wrap:wrap;gap:24px}.chart{margin:6px 0}
.yes{color:#c0262d;font-weight:600}
.contrib{display:grid;grid-template-columns:150px 120px 64px minmax(60px,auto);gap:8px;align-items:center;white-space:nowrap}
.contrib .name{overflow:hidden;text-overflow:ellipsis}.contrib .bar{background:#eef1f5;height:9px;border-radius:2px}
.contrib .bar span{display:block;height:9px;background:#c0262d;border-radius:2px}.contrib .val{color:#5b6270}
footer{color:#8a8f98;font-size:.8rem}
`;

/** The report as one HTML page; see the module comment. */
export function renderReportHtml(data: ReportData): string {
  const { js, css } = chartAssets();
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  const sub = [`${num(data.rows)} ${data.series ? 'steps' : 'rows'}`, data.labelled ? 'labelled' : 'no labels', data.days !== undefined ? `${num(data.days, 3)} days` : ''].filter(Boolean).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}</title>
<style>${inlined(css, 'style')}</style>
<style>${STYLE}</style>
</head><body>
<header><h1>${esc(data.title)}</h1><p>${esc(data.model.detector)} on ${esc(sub)}</p></header>
${modelSection(data)}
${thresholdSection(data)}
${chartsSection(data)}
${topSection(data)}
${comparisonSection(data)}
<footer>Made by vigil ${esc(data.vigil)}. Charts: uPlot, inlined; this page loads nothing from the network.</footer>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${inlined(js, 'script')}</script>
<script>(${drawReport.toString()})(JSON.parse(document.getElementById('report-data').textContent), uPlot, document);</script>
</body></html>
`;
}

/** Writes the page atomically (a failed write leaves no file); `flag` names the path in errors. */
export async function writeReportHtml(path: string, data: ReportData, flag = '--out'): Promise<void> {
  await writeOutputFile(path, renderReportHtml(data), flag);
}
