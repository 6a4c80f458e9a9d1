/**
 * The report page's one program: draws the charts of the page's JSON with uPlot. It runs in the
 * browser, so it is written as one self-contained function (no imports, no outer names) that the
 * page inlines as its source text; compiling it here type-checks its use of the report data.
 * The DOM and uPlot come in untyped: the CLI's build has no DOM types.
 */
import type { ReportData } from '../../report/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export function drawReport(data: ReportData, uPlot: any, doc: any): void {
  const RED = '#c0262d';
  const BLUE = '#2a6fb0';
  const GREY = '#8a8f98';
  const GREEN = '#2e8b57';
  const width = (el: any): number => Math.max(320, Math.min(1100, el.clientWidth || 800));
  const fmt = (v: number): string => (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4))));
  const dot = (color: string): any => ({ show: true, size: 8, stroke: color, fill: color });

  /** A dashed vertical line at x = v, drawn on the plot's canvas after each redraw. */
  const vline = (v: number, color: string) => (u: any): void => {
    const x = u.valToPos(v, 'x', true);
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 * devicePixelRatio();
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  };
  const devicePixelRatio = (): number => (doc.defaultView && doc.defaultView.devicePixelRatio) || 1;

  /** 0, 1, 2, 5, 10, 20, 50, ... up to max: ticks for counts on the asinh scale. */
  const logSplits = (max: number): number[] => {
    const out = [0];
    for (let p = 1; p <= max; p *= 10) for (const m of [1, 2, 5]) if (m * p <= max) out.push(m * p);
    return out;
  };

  const histogram = (): void => {
    const el = doc.getElementById('chart-histogram');
    if (!el) return;
    const h = data.histogram;
    const centers = h.counts.map((_, i) => (h.edges[i]! + h.edges[i + 1]!) / 2);
    const bars = uPlot.paths.bars({ size: [0.9, Infinity], align: 0 });
    const series: any[] = [{ label: 'score', value: (_u: any, v: number | null) => (v === null ? '' : fmt(v)) }];
    const columns: (number | null)[][] = [centers];
    // The anomalies' bar is drawn over the all-rows bar of its bin: the red part of a bar is its anomalies.
    series.push({ label: 'rows', stroke: BLUE, fill: 'rgba(42,111,176,0.55)', paths: bars, points: { show: false } });
    columns.push(h.counts);
    if (h.anomalies) {
      series.push({ label: 'of them labelled anomalies', stroke: RED, fill: 'rgba(192,38,45,0.7)', paths: bars, points: { show: false } });
      columns.push(h.anomalies);
    }
    new uPlot(
      {
        width: width(el),
        height: 260,
        scales: { x: { time: false, range: [h.edges[0], h.edges[h.edges.length - 1]] }, y: { distr: 4, log: 10, range: (_u: any, _min: number, max: number) => [0, Math.max(1, max * 1.3)] } },
        legend: { live: false },
        axes: [{ label: 'score (dashed line: the threshold)' }, { label: 'rows (log scale)', splits: (u: any) => logSplits(u.scales.y.max) }],
        series,
        hooks: { draw: [vline(data.threshold, RED)] },
      },
      columns,
      el,
    );
  };

  /** A curve with the chance line and the operating point at the threshold (inserted in order). */
  const curve = (id: string, c: { x: number[]; y: number[] } | undefined, at: [number, number] | undefined, axes: [string, string], chance: (x: number) => number | null, stepped: boolean): void => {
    const el = doc.getElementById(id);
    if (!el || !c) return;
    const x = [...c.x];
    const y = [...c.y];
    const op: (number | null)[] = x.map(() => null);
    if (at) {
      let k = 0;
      while (k < x.length && (x[k]! < at[0] || (x[k] === at[0] && y[k]! < at[1]))) k++;
      x.splice(k, 0, at[0]);
      y.splice(k, 0, at[1]);
      op.splice(k, 0, at[1]);
    }
    new uPlot(
      {
        width: Math.min(540, width(el)),
        height: 320,
        scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1.02] } },
        legend: { live: false },
        axes: [{ label: axes[0] }, { label: axes[1] }],
        series: [
          { label: axes[0], value: (_u: any, v: number | null) => (v === null ? '' : fmt(v)) },
          // Precision holds over each step of recall, as average precision counts it.
          { label: axes[1], stroke: BLUE, width: 2, points: { show: false }, ...(stepped ? { paths: uPlot.paths.stepped({ align: -1 }) } : {}) },
          { label: 'chance', stroke: GREY, dash: [4, 4], points: { show: false } },
          { label: 'at the threshold', stroke: RED, paths: () => null, points: dot(RED) },
        ],
      },
      [x, y, x.map(chance), op],
      el,
    );
  };

  const series = (): void => {
    const top = doc.getElementById('chart-series');
    const bottom = doc.getElementById('chart-score');
    const s = data.series;
    if (!top || !bottom || !s) return;
    const sync = uPlot.sync('report');
    const palette = [BLUE, GREEN, '#8e44ad', '#d35400', '#16a085', '#7f8c8d'];
    const x = { time: s.dates, auto: true };
    const cursor = { sync: { key: sync.key, setSeries: false }, drag: { x: true, y: false, setScale: true } };
    const plots: any[] = [];
    const onZoom = (u: any, key: string): void => {
      if (key !== 'x') return;
      for (const p of plots) if (p !== u && (p.scales.x.min !== u.scales.x.min || p.scales.x.max !== u.scales.x.max)) p.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
    };
    // One chart per channel, each on its own scale (a temperature near 40 beside a vibration near
    // 1 would otherwise be a flat line), alerts as dots, labelled anomalies as rings.
    s.channels.forEach((c, j) => {
      const el = doc.createElement('div');
      top.appendChild(el);
      const series: any[] = [
        { label: s.dates ? 'time' : 't' },
        { label: c, stroke: palette[j % palette.length], width: 1.25, points: { show: false } },
        { label: 'alert', stroke: RED, paths: () => null, points: dot(RED) },
      ];
      const columns: (number | null)[][] = [s.t, s.values[j]!, s.values[j]!.map((y, i) => (s.anomaly[i] ? y : null))];
      if (s.label) {
        series.push({ label: 'labelled anomaly', stroke: RED, paths: () => null, points: { show: true, size: 16, width: 2, stroke: RED, fill: 'rgba(0,0,0,0)' } });
        columns.push(s.values[j]!.map((y, i) => (s.label![i] ? y : null)));
      }
      const height = s.channels.length > 1 ? 180 : 260;
      plots.push(new uPlot({ width: width(top), height, ms: 1, cursor, legend: { live: false }, scales: { x }, series, axes: [{}, { label: c }], hooks: { setScale: [onZoom] } }, columns, el));
    });
    plots.push(
      new uPlot(
        {
          width: width(bottom),
          height: 180,
          ms: 1,
          cursor,
          legend: { live: false },
          scales: { x },
          series: [
            { label: s.dates ? 'time' : 't' },
            { label: 'score', stroke: '#444', width: 1, points: { show: false } },
            { label: 'threshold', stroke: RED, dash: [6, 4], points: { show: false } },
            { label: 'alert', stroke: RED, paths: () => null, points: dot(RED) },
          ],
          axes: [{}, { label: 'score' }],
          hooks: { setScale: [onZoom] },
        },
        [s.t, s.score, s.t.map(() => data.threshold), s.score.map((v, i) => (s.anomaly[i] ? v : null))],
        bottom,
      ),
    );
  };

  histogram();
  const a = data.atThreshold;
  curve('chart-roc', data.roc, a.fpr !== undefined && a.recall !== undefined ? [a.fpr, a.recall] : undefined, ['false positive rate', 'true positive rate'], (x) => x, false);
  const base = data.labelled && data.rows ? (a.confusion ? (a.confusion.tp + a.confusion.fn) / data.rows : null) : null;
  curve('chart-pr', data.pr, a.recall !== undefined && a.precision !== undefined ? [a.recall, a.precision] : undefined, ['recall', 'precision'], () => base, true);
  series();
  doc.body.setAttribute('data-charts', String(doc.querySelectorAll('canvas').length));
}
