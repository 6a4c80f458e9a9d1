/**
 * The stream's series above its score track: two uPlot charts on one time axis (zoom by dragging,
 * by the wheel or by the buttons; pan with the buttons or the arrow keys), anomalies as red dots
 * on both, the region above the threshold shaded on the score track. Each new range is read again
 * from the server, downsampled to the chart's width, so detail appears as one zooms in.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { SeriesRow } from '../api';

export interface ChartProps {
  rows: SeriesRow[];
  channel: string;
  range: [number, number];
  onRange: (r: [number, number]) => void;
  onPick: (t: number) => void;
}

const RED = '#c0262d';

function columns(rows: SeriesRow[], channel: string): uPlot.AlignedData {
  const v = rows.map((r) => r.values[channel] ?? null);
  return [rows.map((r) => r.t), v, rows.map((r, i) => (r.anomaly ? v[i]! : null))];
}

function scoreColumns(rows: SeriesRow[]): uPlot.AlignedData {
  return [rows.map((r) => r.t), rows.map((r) => r.score), rows.map((r) => r.threshold), rows.map((r) => (r.anomaly ? r.score : null))];
}

export function TimeChart({ rows, channel, range, onRange, onPick }: ChartProps) {
  const top = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const plots = useRef<[uPlot, uPlot] | null>(null);
  const cb = useRef({ onRange, onPick });
  cb.current = { onRange, onPick };
  /** True while the range comes from the props, so it is not reported back as the user's zoom. */
  const applying = useRef(false);

  useEffect(() => {
    const width = (): number => top.current!.clientWidth || 800;
    const sync = uPlot.sync('stream');
    let score: uPlot | null = null;
    // Zoom and pan share one x range: the score track follows the series chart.
    const onScale = (u: uPlot, key: string): void => {
      const { min, max } = u.scales['x']!;
      if (key !== 'x' || min === undefined || max === undefined) return;
      score?.setScale('x', { min, max });
      if (!applying.current) cb.current.onRange([min, max]);
    };
    // Drag to zoom on the series chart; the score track follows it.
    const common = (height: number, drag: boolean): Partial<uPlot.Options> => ({
      width: width(),
      height,
      ms: 1,
      cursor: { sync: { key: sync.key, setSeries: false }, drag: { x: drag, y: false, setScale: drag } },
      scales: { x: { time: true, auto: false, range: (_u, min, max) => [min, max] } },
    });
    const series = new uPlot(
      {
        ...common(260, true),
        series: [{}, { label: channel, stroke: '#1f5f99', width: 1.25, points: { show: false } }, { label: 'anomaly', stroke: RED, paths: () => null, points: { show: true, size: 8, fill: RED, stroke: RED } }],
        hooks: { setScale: [onScale] },
      } as uPlot.Options,
      columns(rows, channel),
      top.current!,
    );
    score = new uPlot(
      {
        ...common(140, false),
        series: [
          {},
          { label: 'score', stroke: '#4a4a4a', width: 1, points: { show: false } },
          { label: 'threshold', stroke: RED, dash: [6, 4], width: 1, points: { show: false }, fill: 'rgba(192,38,45,0.10)', fillTo: (u: uPlot) => u.scales['y']!.max ?? 0 },
          { label: 'anomaly', stroke: RED, paths: () => null, points: { show: true, size: 7, fill: RED, stroke: RED } },
        ],
      } as uPlot.Options,
      scoreColumns(rows),
      bottom.current!,
    );
    applying.current = true;
    series.setScale('x', { min: range[0], max: range[1] });
    applying.current = false;
    for (const u of [series, score]) {
      u.over.addEventListener('click', () => {
        const i = u.cursor.idx;
        const t = i === null || i === undefined ? null : (u.data[0][i] ?? null);
        if (t !== null) cb.current.onPick(t);
      });
    }
    plots.current = [series, score];
    const ro = new ResizeObserver(() => {
      series.setSize({ width: width(), height: 260 });
      score!.setSize({ width: width(), height: 140 });
    });
    ro.observe(top.current!);
    return () => {
      ro.disconnect();
      series.destroy();
      score!.destroy();
    };
  }, [channel]);

  useEffect(() => {
    const p = plots.current;
    if (!p) return;
    p[0].setData(columns(rows, channel), false);
    p[1].setData(scoreColumns(rows), false);
    applying.current = true;
    p[0].setScale('x', { min: range[0], max: range[1] });
    applying.current = false;
  }, [rows, range]);

  return (
    <div class="chart">
      <div ref={top} class="plot" aria-label={`${channel} over time; anomalies as red dots`} role="img" />
      <div ref={bottom} class="plot" aria-label="anomaly score over time, with the threshold dashed and the region above it shaded" role="img" />
    </div>
  );
}
