/**
 * The chart library a report page inlines: uPlot's browser build and its stylesheet, read from the
 * installed package (the same uPlot the dashboard draws with), so the page needs no network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface ChartAssets {
  js: string;
  css: string;
}

let cached: ChartAssets | undefined;

/** Read once per process: a kit writing several reports reads the package once. */
export function chartAssets(): ChartAssets {
  cached ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return cached;
}
