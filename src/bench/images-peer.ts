import { performance } from 'node:perf_hooks';
import { VigilError } from '../core/errors.js';
import { runPeerPython } from './peer.js';
import { meanDefined } from './images.js';

/** The peer's image detectors, by the name of ours that runs the same method. */
export const PEER_IMAGE_DETECTORS = ['pca', 'knn'] as const;
export type PeerImageDetector = (typeof PEER_IMAGE_DETECTORS)[number];

/**
 * Runs `peers.py images DIR` unchanged, with scikit-learn's PCA and NearestNeighbors wrapped so
 * that each fit and each scoring call (PCA transform + inverse_transform, kneighbors) is timed,
 * and, when asked, each fit sees only the first n training rows (our --train-limit). The peer's
 * own JSON comes back with a `timing` field: per detector, per class in the peer's order, the
 * rows fitted and the fit and score seconds.
 */
const TIMING_SHIM = String.raw`
import contextlib, io, json, runpy, sys, time
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors
limits = json.loads(sys.argv[1]); script = sys.argv[2]
timing = {"pca": [], "knn": []}
def wrap(cls, name, det, phase):
    orig = getattr(cls, name)
    def timed(self, X, *a, **k):
        if phase == "fit":
            n = limits.get(det)
            if n: X = X[:n]
            timing[det].append({"rows": int(len(X)), "fit": 0.0, "score": 0.0})
        t0 = time.perf_counter()
        out = orig(self, X, *a, **k)
        timing[det][-1][phase] += time.perf_counter() - t0
        return out
    setattr(cls, name, timed)
wrap(PCA, "fit", "pca", "fit")
wrap(PCA, "transform", "pca", "score")
wrap(PCA, "inverse_transform", "pca", "score")
wrap(NearestNeighbors, "fit", "knn", "fit")
wrap(NearestNeighbors, "kneighbors", "knn", "score")
buf = io.StringIO()
sys.argv = [script] + sys.argv[3:]
with contextlib.redirect_stdout(buf):
    runpy.run_path(script, run_name="__main__")
res = json.loads(buf.getvalue().strip().splitlines()[-1])
res["timing"] = timing
print(json.dumps(res))
`;

interface PeerClassTiming {
  rows: number;
  fit: number;
  score: number;
}

/** What the shim prints: peers.py's figures plus the timing. */
interface ShimOutput {
  [detector: string]: unknown;
  timing: Record<string, PeerClassTiming[]>;
}

export interface PeerImageDetectorResult {
  per_class: number[];
  mean_roc: number;
  /** Summed over the classes taken, like ours. */
  fit_seconds: number;
  score_seconds: number;
  train_rows: number[];
}

export interface PeerImagesRun {
  detectors: Partial<Record<PeerImageDetector, PeerImageDetectorResult>>;
  /** The whole peer process, loading and every class included. */
  seconds: number;
}

/**
 * Runs the peer on the IDX folder `dir`, fitting on at most `limits[d]` training rows per class,
 * and keeps its figures for `classes` (its classes are `peerClasses`, the sorted training labels).
 */
export async function runImagesPeer(
  script: string,
  dir: string,
  limits: Partial<Record<PeerImageDetector, number>>,
  peerClasses: string[],
  classes: string[],
): Promise<PeerImagesRun> {
  const t0 = performance.now();
  const raw = (await runPeerPython(script, ['-c', TIMING_SHIM, JSON.stringify(limits), script, 'images', dir])) as ShimOutput;
  const seconds = (performance.now() - t0) / 1000;
  return { detectors: peerImageResults(raw, peerClasses, classes), seconds };
}

/** The shim's output restricted to `classes`, with the times summed over them. */
export function peerImageResults(raw: ShimOutput, peerClasses: string[], classes: string[]): PeerImagesRun['detectors'] {
  const out: PeerImagesRun['detectors'] = {};
  for (const name of PEER_IMAGE_DETECTORS) {
    const r = raw[name] as { per_class?: number[] } | undefined;
    const t = raw.timing?.[name];
    if (!r?.per_class || !t) continue;
    if (t.length !== r.per_class.length) throw new VigilError(`the peer timed ${t.length} ${name} fits for ${r.per_class.length} classes`);
    const at = classes.map((c) => peerClasses.indexOf(c));
    const per_class = at.map((k) => r.per_class![k] ?? NaN);
    const taken = at.filter((k) => k >= 0).map((k) => t[k]!);
    out[name] = {
      per_class,
      mean_roc: meanDefined(per_class),
      fit_seconds: taken.reduce((s, x) => s + x.fit, 0),
      score_seconds: taken.reduce((s, x) => s + x.score, 0),
      train_rows: taken.map((x) => x.rows),
    };
  }
  return out;
}
