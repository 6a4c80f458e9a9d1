/**
 * One uPlot chart for the models and jobs pages: curves (ROC, PR, a loss per epoch), a histogram
 * as bars, or score tracks over time. The data are given as uPlot's aligned columns; the chart
 * follows its box's width and is redrawn when the data change.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Line {
  label: string;
  stroke: string;
  dash?: number[];
  bars?: boolean;
  points?: boolean;
  /** Drawn against a second y axis on the right (a second model's scores are on a scale of their own). */
  right?: boolean;
}

export interface XYProps {
  data: uPlot.AlignedData;
  lines: Line[];
  /** What the chart shows, in words: the chart's accessible name. */
  label: string;
  x: string;
  y: string;
  time?: boolean;
  height?: number;
  /** Fixed ranges, e.g. [0, 1] for rates. */
  xRange?: [number, number];
  yRange?: [number, number];
}

export function XYChart({ data, lines, label, x, y, time = false, height = 220, xRange, yRange }: XYProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const width = (): number => Math.max(200, box.current!.clientWidth || 400);
    const bars = uPlot.paths.bars!({ size: [0.9, 40] });
    const u = new uPlot(
      {
        width: width(),
        height,
        ms: 1,
        scales: { x: { time, ...(xRange ? { range: xRange } : {}) }, y: yRange ? { range: yRange } : {}, y2: {} },
        axes: [
          { label: x, size: 50 },
          { label: y, size: 60 },
          ...lines.filter((l) => l.right).map((l) => ({ scale: 'y2', side: 1 as const, label: l.label, size: 60, grid: { show: false } })),
        ],
        legend: { show: lines.length > 1 },
        series: [
          {},
          ...lines.map((l) => ({
            label: l.label,
            stroke: l.stroke,
            scale: l.right ? 'y2' : 'y',
            width: 1.5,
            ...(l.dash ? { dash: l.dash } : {}),
            ...(l.bars ? { paths: bars, fill: l.stroke + '55' } : {}),
            points: { show: l.points ?? false, size: 7, fill: l.stroke },
          })),
        ],
      },
      data,
      box.current!,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height }));
    ro.observe(box.current!);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [lines.length, time, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={box} class="plot xy" role="img" aria-label={label} />;
}
