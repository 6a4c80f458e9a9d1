import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, DataError, FormatError, NotFittedError, OptionsError } from '../../core/errors.js';
import { defaultEngine, type Engine } from '../../engine/engine.js';
import { rocAuc } from '../../evaluate/metrics.js';
import { decode, encode } from '../../persist/container.js';
import { plantedOutliers, shiftedAnomalies } from '../../testing/synthetic.js';
import type { AnyDetectorDefinition, Detector, FitContext } from '../detector.js';
import { deepDetectors } from './index.js';

/** Small settings so the suite stays fast; each still learns the toy problem. */
const quick: Record<string, Record<string, unknown>> = {
  autoencoder: { epochs: 8 },
  vae: { epochs: 10, warmupEpochs: 3 },
  'deep-svdd': {},
  devnet: { epochs: 5, stepsPerEpoch: 10, batchSize: 64, learningRate: 0.01 },
  classifier: { epochs: 10 },
  gan: { epochs: 5, hiddenSizes: [16, 8], latent: 4 },
};

/** Each detector's learning modes; the label-using ones get labels in every fit below. */
const MODES: Record<string, string[]> = { devnet: ['semi-supervised'], classifier: ['supervised'] };

const planted = plantedOutliers({ rows: 200, cols: 5, outliers: 8, seed: 3 });
// Semi-supervised detectors learn what the labeled anomalies look like: their toy has anomalies of one kind.
const shifted = shiftedAnomalies({ rows: 200, cols: 5, anomalies: 8, seed: 3 });
const dataFor = (def: AnyDetectorDefinition) => (def.modes.includes('semi-supervised') ? shifted : planted);

let engine: Engine;
before(async () => {
  engine = await defaultEngine();
});

const make = (def: AnyDetectorDefinition, extra: Record<string, unknown> = {}): Detector => def({ ...quick[def.name], ...extra });

/** Half the planted outliers labeled (semi-supervised: the rest stay unlabeled), or all (supervised). */
function labelsFor(def: AnyDetectorDefinition, y: Uint8Array): Uint8Array | undefined {
  if (def.modes.includes('unsupervised')) return undefined;
  if (def.modes.includes('supervised')) return y;
  const out = new Uint8Array(y.length);
  const half = y.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0, k = 0; i < y.length && k < half; i++) if (y[i] === 1) (out[i] = 1), k++;
  return out;
}

const fitCtx = (def: AnyDetectorDefinition, more: FitContext = {}): FitContext => {
  const l = labelsFor(def, dataFor(def).labels);
  return l ? { ...more, labels: l } : more;
};

// These need image rows; their own test files cover them.
const IMAGE_ONLY = new Set(['conv-autoencoder', 'rotnet']);
for (const def of deepDetectors.filter((d) => !IMAGE_ONLY.has(d.name))) {
  describe(`deep detector: ${def.name}`, () => {
    const { X, labels } = dataFor(def);
    // Fitted once and shared: a (seed 4), its twin b (seed 4) and c (seed 5).
    let a: Detector, b: Detector, c: Detector;
    let liveBefore = 0;
    let liveAfterFit = 0;
    before(async () => {
      liveBefore = engine.liveBuffers();
      a = make(def, { seed: 4 });
      await a.fit(X, fitCtx(def));
      liveAfterFit = engine.liveBuffers();
      b = make(def, { seed: 4 });
      c = make(def, { seed: 5 });
      await b.fit(X, fitCtx(def));
      await c.fit(X, fitCtx(def));
    });

    test('is registered as a deep detector with its learning modes and a seed option', () => {
      assert.equal(def.family, 'deep');
      assert.deepEqual(def.modes, MODES[def.name] ?? ['unsupervised']);
      assert.ok('seed' in def.schema.shape);
    });

    test('learns the toy problem: planted outliers rank on top; no tensors leak across fit and score', async () => {
      assert.equal(liveAfterFit, liveBefore, 'fit leaves no tensors behind');
      const s = await a.score(X);
      assert.equal(engine.liveBuffers(), liveBefore, 'score leaves no tensors behind');
      assert.ok(s.every(Number.isFinite));
      const auc = rocAuc(labels, s);
      assert.ok(auc > 0.95, `ROC-AUC ${auc.toFixed(3)}`);
    });

    test('same seed, same scores; another seed, other scores', async () => {
      const sa = await a.score(X);
      assert.deepEqual(await b.score(X), sa);
      assert.notDeepEqual(await c.score(X), sa);
    });

    test('scores are per row: the same row scores the same in any batch', async () => {
      const all = await a.score(X);
      const one = await a.score({ rows: 1, cols: X.cols, data: X.data.slice(3 * X.cols, 4 * X.cols) });
      // Equal up to float32 rounding (bit-equal on the WASM backend; other backends may tile batches differently).
      assert.ok(Math.abs(one[0]! - all[3]!) <= 1e-6 * Math.max(1, Math.abs(all[3]!)), `${one[0]} vs ${all[3]}`);
    });

    test('state round trip through the model-file encoding gives bit-identical scores', async () => {
      const st = a.getState();
      assert.ok(Object.values(st.arrays).some((v) => v instanceof Float32Array), 'weights are float32 arrays');
      const back = decode(encode({ manifest: { params: st.params }, arrays: st.arrays }));
      const r = make(def, { seed: 4 });
      r.setState({ params: back.manifest['params'] as Record<string, never>, arrays: back.arrays });
      assert.equal(r.fitted, true);
      assert.deepEqual(await r.score(X), await a.score(X));
      if (a.explain) assert.deepEqual(await r.explain!(X), await a.explain(X));
    });

    test('damaged state is rejected with FormatError', () => {
      const st = a.getState();
      const key = Object.keys(st.arrays).find((k) => k.startsWith('w:'))!;
      const r = make(def);
      assert.throws(() => r.setState({ params: st.params, arrays: { ...st.arrays, [key]: new Float32Array(3) } }), FormatError);
      assert.throws(() => r.setState({ params: { ...st.params, spec: { networks: 'x' } }, arrays: st.arrays }), FormatError);
      assert.equal(r.fitted, false);
    });

    test('fit reports progress per epoch and can be cancelled through its AbortSignal', async () => {
      const progress: number[] = [];
      const d = make(def, { epochs: 3, hiddenSizes: [8, 4] });
      await d.fit(X, fitCtx(def, { onProgress: (p) => progress.push(p.fraction) }));
      assert.deepEqual(progress, [1 / 3, 2 / 3, 1]);
      const live = engine.liveBuffers();
      const ac = new AbortController();
      const e = make(def, { epochs: 50, hiddenSizes: [8, 4] });
      await assert.rejects(e.fit(X, fitCtx(def, { signal: ac.signal, onProgress: () => ac.abort() })), (err: unknown) => err instanceof CancelledError && /cancelled in epoch 2 of 50/.test((err as Error).message));
      assert.equal(e.fitted, false, 'a cancelled fit leaves the detector unfitted');
      assert.equal(engine.liveBuffers(), live);
    });

    test('misuse is reported with named errors', async () => {
      const d = make(def);
      await assert.rejects(d.score(X), NotFittedError);
      const bad = { rows: 2, cols: X.cols, data: new Float64Array(2 * X.cols).fill(NaN) };
      await assert.rejects(d.fit(bad, def.modes.includes('unsupervised') ? {} : { labels: Uint8Array.of(1, 0) }), (e: unknown) => e instanceof DataError && /row 0, column 0 is not a finite number/.test((e as Error).message));
      await assert.rejects(a.score({ rows: 1, cols: 2, data: new Float64Array(2) }), (e: unknown) => e instanceof DataError && /fitted on 5 features, got 2/.test((e as Error).message));
      await assert.rejects(a.score({ rows: 1, cols: 5, data: Float64Array.of(1, 2, Infinity, 4, 5) }), DataError);
    });

    test('bad options are rejected clearly', () => {
      const rejects = (opts: Record<string, unknown>, re: RegExp) =>
        assert.throws(
          () => def(opts),
          (e: unknown) => e instanceof OptionsError && re.test((e as Error).message) && /valid options/.test((e as Error).message),
        );
      rejects({ epochs: 0 }, /'epochs'/);
      rejects({ learningRate: 0 }, /'learningRate'/);
      rejects({ batchSize: 1.5 }, /'batchSize'/);
      rejects({ hiddenSizes: [] }, /'hiddenSizes'/);
      rejects({ hiddenSizes: [8, -1] }, /'hiddenSizes.1'/);
      rejects({ dropout: 1 }, /'dropout'/);
      rejects({ activation: 'swish' }, /'activation'/);
      rejects({ validationSplit: 0.95 }, /'validationSplit'/);
      rejects({ layers: 3 }, /unknown option 'layers'/);
    });
  });
}
