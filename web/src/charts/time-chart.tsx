/**
 * The stream's series above its score track: two uPlot charts on one time axis. Zoom by dragging
 * across the series chart, by the mouse wheel or by the page's buttons; pan with the buttons.
 * Anomalies are red dots on both; the region above the threshold is shaded on the score track;
 * model changes are dashed vertical lines; people's labels and incidents are bands over the series.
 * Each new range is read again from the server, downsampled to the chart's width (every anomaly
 * kept), so a range of any size draws a few thousand points at most and detail appears on zooming in.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { SeriesRow } from '../api';

export interface Band {
  from: number;
  to: number;
  kind: 'anomaly' | 'normal' | 'incident';
}

export interface ChartProps {
  rows: SeriesRow[];
  /** The names in each row's values to draw as lines (a channel, or several series of a keyed stream). */
  lines: string[];
  /** Channels whose own scores are drawn on the score track (a multivariate detector's). */
  channelScores: string[];
  range: [number, number];
  modelChanges: { t: number; modelVersion: number }[];
  bands: Band[];
  onRange: (r: [number, number]) => void;
  onPick: (t: number) => void;
}

const RED = '#c0262d';
const LINE_COLOURS = ['#1f5f99', '#7a3e9d', '#2b7a3d', '#9c5a00', '#00717a'];
const CHANNEL_COLOURS = ['#5b8fc7', '#b07cc6', '#6aa86f', '#d19a4a', '#4fb0b8', '#a0a0a0'];
const BAND_FILL: Record<Band['kind'], string> = { anomaly: 'rgba(192,38,45,0.16)', normal: 'rgba(43,122,61,0.18)', incident: 'rgba(217,130,0,0.75)' };

function columns(rows: SeriesRow[], lines: string[]): uPlot.AlignedData {
  const vs = lines.map((l) => rows.map((r) => r.values[l] ?? null));
  const anomaly = rows.map((r, i) => (r.anomaly ? (vs.map((v) => v[i]).find((x) => x !== null && x !== undefined) ?? null) : null));
  return [rows.map((r) => r.t), ...vs, anomaly];
}

function scoreColumns(rows: SeriesRow[], channelScores: string[]): uPlot.AlignedData {
  return [
    rows.map((r) => r.t),
    rows.map((r) => r.score),
    rows.map((r) => r.threshold),
    rows.map((r) => (r.anomaly ? r.score : null)),
    ...channelScores.map((c) => rows.map((r) => r.channels?.[c] ?? null)),
  ];
}

export function TimeChart(props: ChartProps) {
  const { rows, lines, channelScores, range } = props;
  const top = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const plots = useRef<[uPlot, uPlot] | null>(null);
  const live = useRef(props);
  live.current = props;
  /** True while the range comes from the props, so it is not reported back as the user's zoom. */
  const applying = useRef(false);
  const shape = `${lines.join('\u0000')}|${channelScores.join('\u0000')}`;

  useEffect(() => {
    const width = (): number => top.current!.clientWidth || 800;
    const phone = width() < 600;
    const heights = phone ? [200, 120] : [260, 150];
    const sync = uPlot.sync('stream');
    let score: uPlot | null = null;
    const onScale = (u: uPlot, key: string): void => {
      const { min, max } = u.scales['x']!;
      if (key !== 'x' || min === undefined || max === undefined) return;
      score?.setScale('x', { min, max });
      if (!applying.current) live.current.onRange([min, max]);
    };
    // Model changes as dashed vertical lines, labels and incidents as bands, drawn under the series.
    const overlay = (withBands: boolean) => (u: uPlot): void => {
      const { ctx, bbox } = u;
      ctx.save();
      ctx.beginPath();
      ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
      ctx.clip();
      if (withBands) {
        for (const b of live.current.bands) {
          const x0 = u.valToPos(b.from, 'x', true);
          const x1 = u.valToPos(b.to, 'x', true);
          const w = Math.max(6 * devicePixelRatio, x1 - x0);
          ctx.fillStyle = BAND_FILL[b.kind];
          const left = (x0 + x1) / 2 - w / 2;
          if (b.kind === 'incident') ctx.fillRect(left, bbox.top, w, 8 * devicePixelRatio);
          else ctx.fillRect(left, bbox.top, w, bbox.height);
        }
      }
      ctx.strokeStyle = '#5a3d8a';
      ctx.fillStyle = '#5a3d8a';
      ctx.lineWidth = devicePixelRatio;
      ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
      ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
      for (const m of live.current.modelChanges) {
        const x = Math.round(u.valToPos(m.t, 'x', true));
        ctx.beginPath();
        ctx.moveTo(x, bbox.top);
        ctx.lineTo(x, bbox.top + bbox.height);
        ctx.stroke();
        if (withBands) ctx.fillText(`v${m.modelVersion}`, x + 3 * devicePixelRatio, bbox.top + 20 * devicePixelRatio);
      }
      ctx.restore();
    };
    const common = (height: number, drag: boolean): Partial<uPlot.Options> => ({
      width: width(),
      height,
      ms: 1,
      cursor: { sync: { key: sync.key, setSeries: false }, drag: { x: drag, y: false, setScale: drag } },
      scales: { x: { time: true, auto: false, range: (_u, min, max) => [min, max] } },
      legend: { show: !phone || lines.length > 1 || channelScores.length > 0 },
    });
    const series = new uPlot(
      {
        ...common(heights[0]!, true),
        series: [
          {},
          ...lines.map((l, i) => ({ label: l, stroke: LINE_COLOURS[i % LINE_COLOURS.length], width: 1.25, points: { show: false }, spanGaps: lines.length > 1 })),
          { label: 'anomaly', stroke: RED, paths: () => null, points: { show: true, size: 8, fill: RED, stroke: RED } },
        ],
        hooks: { setScale: [onScale], drawClear: [overlay(true)] },
      } as uPlot.Options,
      columns(rows, lines),
      top.current!,
    );
    score = new uPlot(
      {
        ...common(heights[1]!, false),
        series: [
          {},
          { label: 'score', stroke: '#4a4a4a', width: 1, points: { show: false } },
          { label: 'threshold', stroke: RED, dash: [6, 4], width: 1, points: { show: false }, fill: 'rgba(192,38,45,0.10)', fillTo: (u: uPlot) => u.scales['y']!.max ?? 0 },
          { label: 'anomaly', stroke: RED, paths: () => null, points: { show: true, size: 7, fill: RED, stroke: RED } },
          ...channelScores.map((c, i) => ({ label: `${c} score`, stroke: CHANNEL_COLOURS[i % CHANNEL_COLOURS.length], width: 1, points: { show: false } })),
        ],
        hooks: { drawClear: [overlay(false)] },
      } as uPlot.Options,
      scoreColumns(rows, channelScores),
      bottom.current!,
    );
    applying.current = true;
    series.setScale('x', { min: range[0], max: range[1] });
    applying.current = false;
    for (const u of [series, score]) {
      u.over.addEventListener('click', () => {
        const i = u.cursor.idx;
        const t = i === null || i === undefined ? null : (u.data[0][i] ?? null);
        if (t !== null) live.current.onPick(t);
      });
      // The wheel zooms around the pointer (the page does not scroll while the pointer is on the chart).
      u.over.addEventListener(
        'wheel',
        (e: WheelEvent) => {
          e.preventDefault();
          const { min, max } = series.scales['x']!;
          if (min === undefined || max === undefined) return;
          const at = u.posToVal(e.offsetX, 'x');
          const f = e.deltaY < 0 ? 0.8 : 1.25;
          live.current.onRange([at - (at - min) * f, at + (max - at) * f]);
        },
        { passive: false },
      );
    }
    plots.current = [series, score];
    const ro = new ResizeObserver(() => {
      series.setSize({ width: width(), height: heights[0]! });
      score!.setSize({ width: width(), height: heights[1]! });
    });
    ro.observe(top.current!);
    return () => {
      ro.disconnect();
      series.destroy();
      score!.destroy();
      plots.current = null;
    };
  }, [shape]);

  useEffect(() => {
    const p = plots.current;
    if (!p) return;
    // New rows: both charts take them with their y ranges recomputed, then the x range of the view
    // (without resetting, uPlot would keep the old rows' index window and draw part of the new ones).
    applying.current = true;
    p[0].setData(columns(rows, lines));
    p[1].setData(scoreColumns(rows, channelScores));
    p[0].setScale('x', { min: range[0], max: range[1] });
    p[1].setScale('x', { min: range[0], max: range[1] });
    applying.current = false;
  }, [rows, range, shape]);

  // Labels, incidents and model markers change without new rows: draw again.
  useEffect(() => {
    plots.current?.forEach((u) => u.redraw(false));
  }, [props.bands, props.modelChanges]);

  return (
    <div class="chart">
      <div ref={top} class="plot" aria-label={`${lines.join(', ')} over time; anomalies as red dots, labels as shaded bands, model changes as dashed lines`} role="img" />
      <div ref={bottom} class="plot" aria-label="anomaly score over time, with the threshold dashed and the region above it shaded" role="img" />
    </div>
  );
}
