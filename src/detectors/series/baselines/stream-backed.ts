/**
 * Series versions of the stream detectors (src/stream): the series is fed to a fresh stream
 * detector step by step, each step scored on what came before it (explain, then learnOne), so a
 * batch score equals the stream's update() score on the same data by construction: one copy of
 * the math. The stream's statistics restart with each scored series; `fit` only fixes the channel
 * count. The first `warmup` steps (the stream's own warm-up: a full window, or 2/α for EWMA)
 * score 0.
 */
import { DataError } from '../../../core/errors.js';
import { matrix, row, type Matrix } from '../../../core/matrix.js';
import { FixedThreshold, type StreamDetector } from '../../../stream/stream-detector.js';
import type { DetectorState, Json } from '../../detector.js';
import { fittedOr, stateNumber } from '../../state.js';
import { checkSeries } from '../check.js';
import type { SeriesDetector, SeriesScores } from '../series-detector.js';

/** Never reached: the series detector only reads scores, the stream's threshold judges nothing. */
export const NO_THRESHOLD = new FixedThreshold(Number.MAX_VALUE);

export class StreamBackedDetector implements SeriesDetector {
  private channels?: number;
  constructor(
    readonly name: string,
    readonly options: Readonly<Record<string, Json>>,
    /** Steps before the first score, and the history a score reads. */
    readonly context: number,
    private readonly make: () => StreamDetector,
  ) {}

  get fitted(): boolean {
    return this.channels !== undefined;
  }

  async fit(series: Matrix): Promise<void> {
    checkSeries(series, this.name, this.context, 'fit');
    this.channels = series.cols;
  }

  async score(series: Matrix): Promise<SeriesScores> {
    const d = fittedOr(this.channels, this.name);
    if (series.cols !== d) throw new DataError(`${this.name} was fitted on ${d} channels, got ${series.cols}`);
    checkSeries(series, this.name, this.context, 'score');
    const stream = this.make();
    const score = new Float64Array(series.rows);
    const channels = matrix(series.rows, d);
    const warmup = this.context;
    for (let t = 0; t < series.rows; t++) {
      const x = row(series, t);
      if (t >= warmup) {
        const per = stream.explain(x);
        channels.data.set(per, t * d);
        let m = 0;
        for (const v of per) if (v > m) m = v;
        score[t] = m;
      }
      stream.learnOne(x);
    }
    return { score, channels, warmup };
  }

  getState(): DetectorState {
    return { params: { channels: fittedOr(this.channels, this.name) }, arrays: {} };
  }

  setState(s: DetectorState): void {
    this.channels = stateNumber(s, 'channels');
  }
}
