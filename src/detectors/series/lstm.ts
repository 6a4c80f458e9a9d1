import { z } from 'zod';
import { parseModelSpec } from '../../engine/spec.js';
import type { LossSpec, ModelSpec } from '../../engine/engine.js';
import { hiddenSizes } from '../deep/common.js';
import { defineSeriesDetector } from './define.js';
import { recurrentTrainingOptions, windowOption } from './deep-series.js';
import { Forecaster, forecastErrorOption } from './forecast.js';

const schema = z.object({
  /** Steps the network reads to predict the next one. */
  window: windowOption(32),
  /** Units of each stacked LSTM layer. */
  units: hiddenSizes([32]),
  /** Score as the squared or the absolute prediction error. */
  error: forecastErrorOption('squared'),
  ...recurrentTrainingOptions,
});
type Options = z.output<typeof schema>;

/** Stacked LSTMs (all but the last return sequences) and a linear layer to the next step's channels. */
class LstmForecaster extends Forecaster<Options> {
  readonly name = 'lstm';

  get context(): number {
    return this.options.window;
  }

  protected network(channels: number): { spec: ModelSpec; loss: LossSpec } {
    const { units, window } = this.options;
    const layers = units.map((u, i) => ({ type: 'lstm' as const, units: u, returnSequences: i < units.length - 1 }));
    const spec = parseModelSpec({ networks: { main: { input: [window, channels], layers: [...layers, { type: 'dense', units: channels }] } } });
    return { spec, loss: { kind: 'mse', network: 'main' } };
  }
}

export const lstm = defineSeriesDetector(
  {
    name: 'lstm',
    summary: 'LSTM forecaster of the next step; score = squared prediction error per channel',
    citation: 'Hundman et al., Detecting Spacecraft Anomalies Using LSTMs and Nonparametric Dynamic Thresholding (KDD 2018)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new LstmForecaster(o),
);
