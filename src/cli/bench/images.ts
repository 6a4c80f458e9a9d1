import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { DataError } from '../../core/errors.js';
import { getDetector } from '../../detectors/registry.js';
import { IDX_TRAIN, benchImages, loadImageBenchSet, type ImageBenchResult, type ImageBenchSet } from '../../bench/images.js';
import { PEER_IMAGE_DETECTORS, runImagesPeer, type PeerImagesRun } from '../../bench/images-peer.js';
import { findPeerScript } from '../../bench/peer.js';
import { findIdxFile, formatShape } from '../../data/images/index.js';
import { pixelOptions } from '../image-input.js';
import { progress } from '../progress.js';
import { renderTable } from '../table.js';
import { writeJson } from '../commands/bench.js';
import { UsageError } from '../usage-error.js';
import { collect } from '../commands/fit.js';
import { detectorSets } from './detector-sets.js';

/** Debian's dataset-fashion-mnist package. */
const DEFAULT_DATA = '/usr/share/datasets/fashion-mnist';
const DEFAULT_DETECTOR = 'conv-autoencoder';

interface Opts {
  data?: string;
  detector?: string;
  detectors?: string;
  classes?: string;
  trainLimit?: string;
  color?: string;
  size?: string;
  json?: string;
  peer?: boolean;
  set: string[];
}

export function benchImagesCommand(): Command {
  return new Command('images')
    .description('one-class image protocol: fit on one class, score the test set, ROC-AUC per class and mean')
    .option('--data <dir>', `MNIST-style IDX files, or class subfolders of PNG/JPEG images (default ${DEFAULT_DATA})`)
    .option('--detector <name>', `a detector to run (default ${DEFAULT_DETECTOR} when no --detectors)`)
    .option('--detectors <a,b>', 'detectors to run')
    .option('--classes <a,b>', 'classes to take as normal (default: every class; `normal` for normal/anomaly folders)')
    .option('--train-limit <n|name=n,..>', 'fit on the first n training images of the class (all detectors, or per detector)')
    .option('--color <gray|rgb>', 'image folders: channels (default: gray when every image is gray)')
    .option('--size <HxW>', 'image folders: resize every image (default: they must share one size)')
    .option('--set <[name.]key=value>', 'a detector option, for every detector run or (name.key) for one; repeat for more', collect, [])
    .option('--json <file>', 'write the results as JSON')
    .option(
      '--peer',
      'also run ../shared/peers/peers.py images on the same folder (scikit-learn PCA and kNN, fit and score timed, with the --train-limit of our pca and knn), in this run',
    )
    .action(async (o: Opts) => {
      const dir = o.data ?? DEFAULT_DATA;
      if (o.data === undefined && !existsSync(dir)) {
        throw new DataError(`no --data given and the default ${DEFAULT_DATA} is not here (Debian package dataset-fashion-mnist)`);
      }
      const detectors = detectorList(o);
      detectors.forEach((d) => getDetector(d));
      const trainLimit = parseTrainLimit(o.trainLimit, detectors);
      const options = detectorSets(o.set, detectors);
      const pixels = pixelOptions(o);
      const peerScript = o.peer ? findPeerScript() : undefined;
      if (o.peer && !peerScript) throw new UsageError('--peer: no peers.py found (set VIGIL_PEERS to its path)');

      const idx = findIdxFile(dir, IDX_TRAIN) !== undefined;
      if (idx && (pixels.color || pixels.size)) throw new UsageError('--color and --size apply to image folders, not IDX files');
      if (o.peer && !idx) throw new UsageError(`--peer needs MNIST IDX files (${IDX_TRAIN}[.gz], ...): peers.py reads nothing else`);
      const set = await loadImageBenchSet(dir, pixels);
      const classes = o.classes?.split(',').map((s) => s.trim()).filter(Boolean);

      const total = (classes ?? set.defaultNormal).length * detectors.length;
      const bar = progress(total, 'bench images');
      let result: ImageBenchResult;
      try {
        result = await benchImages(set, { detectors, classes, trainLimit, options, onStep: (done, _t, label) => bar.update(done, label) });
      } finally {
        bar.stop();
      }
      const peerLimits = Object.fromEntries(PEER_IMAGE_DETECTORS.flatMap((d) => (trainLimit?.[d] ? [[d, trainLimit[d]]] : [])));
      const peer = peerScript ? await runImagesPeer(peerScript, dir, peerLimits, set.defaultNormal, result.classes) : null;
      process.stdout.write(report(result, set, peer) + '\n');
      if (o.json) await writeJson(o.json, { ...result, options, peer });
    });
}

function detectorList(o: Opts): string[] {
  const list = [...(o.detectors?.split(',') ?? []), ...(o.detector ? [o.detector] : [])].map((s) => s.trim()).filter(Boolean);
  return list.length ? [...new Set(list)] : [DEFAULT_DETECTOR];
}

/** `3000` for every detector, or `knn=3000,pca=6000`. */
function parseTrainLimit(raw: string | undefined, detectors: string[]): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  const count = (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--train-limit: '${v}' is not a positive whole number`);
    return n;
  };
  if (!raw.includes('=')) {
    const n = count(raw.trim());
    return Object.fromEntries(detectors.map((d) => [d, n]));
  }
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [name, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined || rest.length) throw new UsageError(`--train-limit expects n or name=n,..., got '${raw}'`);
    if (!detectors.includes(name)) throw new UsageError(`--train-limit names '${name}', which is not among the detectors run (${detectors.join(', ')})`);
    out[name] = count(value);
  }
  return out;
}

/** ROC-AUC per class (ours, then the peer's), a mean row, then the timings (ours, then the peer's). */
function report(r: ImageBenchResult, set: ImageBenchSet, peer: PeerImagesRun | null): string {
  const names = Object.keys(r.detectors);
  const peerNames = PEER_IMAGE_DETECTORS.filter((d) => peer?.detectors[d]);
  const peerOf = (d: (typeof peerNames)[number]) => peer!.detectors[d]!;
  const header = ['class', ...names, ...peerNames.map((d) => `peer ${d}`)];
  const rows: (string | number | null)[][] = r.classes.map((c, i) => [
    c,
    ...names.map((d) => r.detectors[d]!.per_class[i]!),
    ...peerNames.map((d) => peerOf(d).per_class[i]!),
  ]);
  rows.push(['MEAN', ...names.map((d) => r.detectors[d]!.mean_roc), ...peerNames.map((d) => peerOf(d).mean_roc)]);
  const title = `${r.dataset}: ${formatShape(r.shape)} images, ${set.train.X.rows} train, ${r.test_rows} test; ROC-AUC with each class as normal`;
  const timed = [
    ...names.map((d) => [d, r.detectors[d]!] as const),
    ...peerNames.map((d) => [`peer ${d} (scikit-learn)`, peerOf(d)] as const),
  ];
  const timing = renderTable(
    ['detector', 'train rows/class', 'fit s', 'score s', 'total s'],
    timed.map(([d, x]) => [d, rowRange(x.train_rows), x.fit_seconds, x.score_seconds, x.fit_seconds + x.score_seconds]),
  );
  const peerLine = peer
    ? `\nfit and score s summed over the ${r.classes.length} class(es) shown; the peer process (every class, loading included) took ${peer.seconds.toFixed(1)} s`
    : '';
  return `${title}\n${renderTable(header, rows, 4)}\n\n${timing}${peerLine}`;
}

function rowRange(rows: number[]): string {
  const seen = [...new Set(rows)];
  return seen.length === 1 ? String(seen[0]) : `${Math.min(...seen)}-${Math.max(...seen)}`;
}
