import { matrix, type Matrix } from '../core/matrix.js';
import { defaultEngine, withModel, type LossSpec, type ModelSpec, type TrainData } from '../engine/engine.js';
import { parseLoopOptions } from '../engine/loop.js';
import { parseModelSpec } from '../engine/spec.js';
import { convAutoencoderSpec } from '../detectors/deep/conv-autoencoder.js';
import { findPeerScript, runPeer } from './peer.js';

export interface SpeedRow {
  train_rows_per_s: number;
  score_rows_per_s: number;
  peer_train_rows_per_s: number | null;
  peer_score_rows_per_s: number | null;
}

export type SpeedResult = Record<'dense_ae' | 'lstm_forecaster' | 'conv_ae', SpeedRow>;

/** Seeded uniform [0, 1) numbers (mulberry32). */
function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const m = matrix(rows, cols);
  let a = seed >>> 0;
  for (let k = 0; k < m.data.length; k++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    m.data[k] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return m;
}

const LOSS: LossSpec = { kind: 'mse', network: 'main' };

/** One warm-up epoch, then two timed epochs (as the peer's fit_and_score); then one warm-up and one timed inference pass in batches of 4096. */
async function measure(spec: ModelSpec, data: TrainData, batchSize: number): Promise<{ train: number; score: number }> {
  const engine = await defaultEngine();
  await engine.prepare(); // the peer's threads are warm too: time the steady state, not thread start-up
  const { x } = data;
  return withModel(engine, spec, 0, async (m) => {
    await engine.train(m, data, LOSS, parseLoopOptions({ epochs: 1, batchSize, seed: 1 }));
    let t0 = performance.now();
    await engine.train(m, data, LOSS, parseLoopOptions({ epochs: 2, batchSize, seed: 2 }));
    const train = (2 * x.rows) / ((performance.now() - t0) / 1000);
    // Untimed, like the warm-up epoch.
    await engine.forward(m, x, { batchSize: 4096 });
    t0 = performance.now();
    await engine.forward(m, x, { batchSize: 4096 });
    const score = x.rows / ((performance.now() - t0) / 1000);
    return { train, score };
  });
}

/** Our train/score rows per second on the peer's `speed` workloads, beside the peer's (null when it is missing or skipped). */
export async function benchSpeed(o: { rows: number; dim: number; peer: boolean }): Promise<SpeedResult> {
  const dense = parseModelSpec({
    networks: {
      main: {
        input: [o.dim],
        layers: [
          { type: 'dense', units: 64, activation: 'relu', init: 'fanInUniform' },
          { type: 'dense', units: 16, activation: 'relu', init: 'fanInUniform' },
          { type: 'dense', units: 64, activation: 'relu', init: 'fanInUniform' },
          { type: 'dense', units: o.dim, init: 'fanInUniform' },
        ],
      },
    },
  });
  const d = await measure(dense, { x: randomMatrix(o.rows, o.dim, 1) }, 256);
  // The peer's LSTM forecaster: windows of 32 steps x 8 features, 32 units, next step out, batch 128.
  const windows = Math.max(Math.floor(o.rows / 10), 1000);
  const lstm = parseModelSpec({ networks: { main: { input: [32, 8], layers: [{ type: 'lstm', units: 32 }, { type: 'dense', units: 8 }] } } });
  const l = await measure(lstm, { x: randomMatrix(windows, 32 * 8, 3), y: randomMatrix(windows, 8, 4) }, 128);
  const images = Math.max(Math.floor(o.rows / 10), 1);
  const conv = convAutoencoderSpec({ height: 28, width: 28, channels: 1, filters: [16, 32], kernelSize: 3, latent: 0 });
  const c = await measure(conv, { x: randomMatrix(images, 784, 2) }, 128);
  let peer: Record<string, { train_rows_per_s?: number; score_rows_per_s?: number }> = {};
  const script = o.peer ? findPeerScript() : undefined;
  if (script) {
    try {
      peer = (await runPeer(script, ['speed', '--rows', String(o.rows), '--dim', String(o.dim)])) as typeof peer;
    } catch (e) {
      process.stderr.write(`peer skipped: ${(e as Error).message}\n`);
    }
  }
  const row = (ours: { train: number; score: number }, name: string): SpeedRow => ({
    train_rows_per_s: Math.round(ours.train),
    score_rows_per_s: Math.round(ours.score),
    peer_train_rows_per_s: peer[name]?.train_rows_per_s ?? null,
    peer_score_rows_per_s: peer[name]?.score_rows_per_s ?? null,
  });
  return { dense_ae: row(d, 'dense_ae'), lstm_forecaster: row(l, 'lstm_forecaster'), conv_ae: row(c, 'conv_ae') };
}
