import { z } from 'zod';
import { extent } from '../../../core/stats.js';
import { column, type Matrix } from '../../../core/matrix.js';
import { ARTIME_NAB_THRESHOLD, Artime, rangeOption } from '../../../stream/detectors/artime/artime.js';
import type { DetectorState } from '../../detector.js';
import { fittedOr, stateArray, stateNumber } from '../../state.js';
import { defineSeriesDetector } from '../define.js';
import { NO_THRESHOLD, StreamBackedDetector } from './stream-backed.js';

/** NAB's longest probation, and ARTime's. */
const MAX_PROBATION = 750;

const schema = z.object({
  /** Expected value range of every channel (both or neither; default: each channel's range in the fitted series). NAB hands detectors each file's range. */
  min: z.number().finite().optional().describe('Expected value range of every channel (both or neither; default: each channel\'s range in the fitted series). NAB hands detectors each file\'s range.'),
  max: z.number().finite().optional(),
  /** Training steps: the vigilance is set from them and they score 0 (default: the fitted series' length, at most 750 as in NAB). */
  probation: z.number().int().min(2).optional().describe('Training steps: the vigilance is set from them and they score 0 (default: the fitted series\' length, at most 750 as in NAB).'),
  /** Most memory categories per channel: bounds memory. */
  maxCategories: z.number().int().min(2).default(10_000).describe('Most memory categories per channel: bounds memory.'),
});

/**
 * The stream ARTime run over a series, learning as it scores (as NAB runs it). Each channel's
 * expected range comes from the options or else the fitted series (ARTime scales by it itself: its
 * downsampling compares raw values, so the series goes in unscaled), and the first `probation`
 * steps (by default as many as were fitted, at most 750) train the memory. With no threshold
 * asked for, a model cuts at ARTime's NAB threshold: its scores are too sparse for POT. Scores are
 * ARTime's own: 0, or a detection's confidence in [0, 1].
 */
class ArtimeSeries extends StreamBackedDetector {
  private lo?: Float64Array;
  private hi?: Float64Array;
  private steps?: number;

  constructor(private readonly o: z.output<typeof schema>) {
    super('artime', o, 1, () => {
      const lo = this.lo!;
      const hi = this.hi!;
      const channelRanges = Array.from(lo, (min, c) => ({ min, max: hi[c]! }));
      return new Artime({ channelRanges, probation: this.steps!, maxCategories: o.maxCategories, warmup: 0, threshold: NO_THRESHOLD });
    });
    rangeOption(o.min, o.max);
  }

  override async fit(series: Matrix): Promise<void> {
    await super.fit(series);
    const given = rangeOption(this.o.min, this.o.max);
    this.lo = new Float64Array(series.cols);
    this.hi = new Float64Array(series.cols);
    for (let c = 0; c < series.cols; c++) [this.lo[c], this.hi[c]] = given ? [given.min, given.max] : extent(column(series, c));
    this.steps = this.o.probation ?? Math.max(2, Math.min(series.rows, MAX_PROBATION));
  }

  override getState(): DetectorState {
    const s = super.getState();
    return { params: { ...s.params, probation: fittedOr(this.steps, this.name) }, arrays: { lo: fittedOr(this.lo, this.name), hi: fittedOr(this.hi, this.name) } };
  }

  override setState(s: DetectorState): void {
    super.setState(s);
    this.steps = stateNumber(s, 'probation');
    this.lo = stateArray(s, 'lo', Float64Array);
    this.hi = stateArray(s, 'hi', Float64Array);
  }
}

export const seriesArtime = defineSeriesDetector(
  {
    name: 'artime',
    summary: 'per channel ARTime: adaptive resonance memory of wavelet features of downsampled windows; a window unlike any known scores its novelty',
    citation: 'ARTime (Hampton 2021, NAB leaderboard); dual-vigilance fuzzy ART (Brito da Silva et al. 2019)',
    modes: ['unsupervised'],
    defaultCutoff: ARTIME_NAB_THRESHOLD,
  },
  schema,
  (o) => new ArtimeSeries(o),
);
