import { z } from 'zod';
import { column, matrix, type Matrix } from '../../../core/matrix.js';
import { Htm, resolutionFor } from '../../../stream/detectors/htm/htm.js';
import type { DetectorState } from '../../detector.js';
import { fittedOr, stateArray } from '../../state.js';
import { defineSeriesDetector } from '../define.js';
import type { SeriesScores } from '../series-detector.js';
import { NO_THRESHOLD, StreamBackedDetector } from './stream-backed.js';

const schema = z.object({
  /** Spatial pooler columns; 2% are active per step. */
  columns: z.number().int().min(256).default(2048).describe('Spatial pooler columns; 2% are active per step.'),
  /** Temporal memory cells per column. */
  cellsPerColumn: z.number().int().min(2).default(32).describe('Temporal memory cells per column.'),
  /** Steps scored 0 at the start: at least the first, which has nothing before it (the next score high, as nothing is predicted yet; NAB's likelihood skips them itself). */
  warmup: z.number().int().min(1).default(1).describe('Steps scored 0 at the start: at least the first, which has nothing before it (the next score high, as nothing is predicted yet; NAB\'s likelihood skips them itself).'),
  /** Independent HTMs (seeds seed, seed + 4, seed + 8, ...) whose raw scores are averaged; 1 is Numenta's detector. */
  ensemble: z.number().int().min(1).default(1).describe('Independent HTMs (seeds seed, seed + 4, seed + 8, ...) whose raw scores are averaged; 1 is Numenta\'s detector.'),
  seed: z.number().int().default(1956),
});

/**
 * The stream HTM run over a series, learning as it scores. Unlike the stream, which must take its
 * encoder's scale from its first values, the series version takes it from the fitted series: each
 * channel is divided by Numenta's resolution for the range `fit` saw, and the stream HTM encodes
 * with resolution 1. Its scores are the raw ones: callers calibrate them (`vigil bench nab
 * --calibration likelihood` applies Numenta's anomaly likelihood per file).
 */
class HtmSeries extends StreamBackedDetector {
  private scale?: Float64Array;

  override async fit(series: Matrix): Promise<void> {
    await super.fit(series);
    this.scale = Float64Array.from({ length: series.cols }, (_, c) => resolutionFor(column(series, c)));
  }

  override async score(series: Matrix): Promise<SeriesScores> {
    const scale = fittedOr(this.scale, this.name);
    // A series with other channels goes through as it is, for the base class's error that names them.
    if (series.cols !== scale.length) return super.score(series);
    return super.score(matrix(series.rows, series.cols, series.data.map((v, i) => v / scale[i % series.cols]!)));
  }

  override getState(): DetectorState {
    const s = super.getState();
    return { params: s.params, arrays: { scale: fittedOr(this.scale, this.name) } };
  }

  override setState(s: DetectorState): void {
    super.setState(s);
    this.scale = stateArray(s, 'scale', Float64Array);
  }
}

export const seriesHtm = defineSeriesDetector(
  {
    name: 'htm',
    summary: 'per channel share of the active columns a hierarchical temporal memory did not predict; keeps learning',
    citation: 'HTM spatial pooler and temporal memory (Hawkins & Ahmad 2016; Cui et al. 2017), raw anomaly score as in NAB (Ahmad et al. 2017)',
    modes: ['unsupervised'],
  },
  schema,
  (o) =>
    new HtmSeries('htm', o, o.warmup, () =>
      new Htm({ resolution: 1, columns: o.columns, cellsPerColumn: o.cellsPerColumn, ensemble: o.ensemble, likelihood: false, seed: o.seed, warmup: 0, threshold: NO_THRESHOLD }),
    ),
);
