import { z } from 'zod';
import { parseModelSpec } from '../../engine/spec.js';
import type { LossSpec, ModelSpec } from '../../engine/engine.js';
import { defineSeriesDetector } from './define.js';
import { recurrentTrainingOptions, windowOption } from './deep-series.js';
import { Reconstructor } from './reconstruct.js';

const schema = z.object({
  window: windowOption(32),
  /** Units of the encoder and decoder LSTMs. */
  units: z.number().int().positive().max(4096).default(32).describe('Units of the encoder and decoder LSTMs.'),
  /** Size of the code a window is squeezed into. */
  latent: z.number().int().positive().max(4096).default(16).describe('Size of the code a window is squeezed into.'),
  ...recurrentTrainingOptions,
});
type Options = z.output<typeof schema>;

/**
 * Sequence-to-sequence LSTM autoencoder (Malhotra et al. 2016): an LSTM encodes the window into a
 * code, the code is repeated at every step and an LSTM decoder with a per-step linear layer
 * rebuilds the window. Trained on whole windows; a step's score is the reconstruction error of the
 * last step of the window ending there, so the score at t reads no step after t.
 */
class LstmAutoencoder extends Reconstructor<Options> {
  readonly name = 'lstm-autoencoder';
  protected readonly scoredSteps = 'last';

  protected network(channels: number): { spec: ModelSpec; loss: LossSpec } {
    const { window, units, latent } = this.options;
    const spec = parseModelSpec({
      networks: {
        main: {
          input: [window, channels],
          layers: [
            { type: 'lstm', units },
            { type: 'dense', units: latent },
            { type: 'repeatVector', times: window },
            { type: 'lstm', units, returnSequences: true },
            { type: 'dense', units: channels },
          ],
        },
      },
    });
    return { spec, loss: { kind: 'mse', network: 'main' } };
  }
}

export const lstmAutoencoder = defineSeriesDetector(
  {
    name: 'lstm-autoencoder',
    summary: 'LSTM encoder-decoder over windows; score = squared reconstruction error of the last step',
    citation: 'Malhotra et al., LSTM-based Encoder-Decoder for Multi-sensor Anomaly Detection (ICML Anomaly Detection Workshop 2016)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new LstmAutoencoder(o),
);
