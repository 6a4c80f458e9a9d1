/** A small uPlot line of one channel, anomalies as red dots; no axes, no cursor. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface SparkData {
  t: number[];
  v: (number | null)[];
  /** The value where the point is an anomaly, else null. */
  a: (number | null)[];
}

export function Sparkline({ data, label, from, to }: { data: SparkData; label: string; from: number; to: number }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const u = new uPlot(
      {
        width: el.current!.clientWidth || 260,
        height: 48,
        ms: 1,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: true, auto: false, range: () => [from, to] } },
        series: [{}, { stroke: '#1f5f99', width: 1.5, points: { show: false } }, { stroke: 'transparent', paths: () => null, points: { show: true, size: 6, fill: '#c0262d', stroke: '#c0262d' } }],
      },
      [data.t, data.v, data.a],
      el.current!,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.current!.clientWidth || 260, height: 48 }));
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, []);
  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    u.setScale('x', { min: from, max: to });
    u.setData([data.t, data.v, data.a], false);
    u.redraw();
  }, [data, from, to]);
  return <div class="spark" ref={el} role="img" aria-label={label} />;
}
