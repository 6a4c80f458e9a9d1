import { Command } from 'commander';
import { optionWithDefault } from '../conventions.js';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DataError } from '../../core/errors.js';
import { getDetector, listDetectors } from '../../detectors/registry.js';
import { benchTabular, labelAccess, type DatasetResult, type LabeledSet } from '../../bench/tabular.js';
import { parsePublished, type PublishedTable } from '../../bench/published.js';
import { PEER_NAME, findPeerScript, runPeer, type PeerTabular } from '../../bench/peer.js';
import { loadLabeledSet } from '../../bench/load.js';
import { progress } from '../progress.js';
import { renderTable } from '../table.js';
import { writeJson } from '../commands/bench.js';
import { UsageError } from '../usage-error.js';

const DEFAULT_DATA = '../shared/data/tabular/odds';
const DEFAULT_PUBLISHED = '../shared/data/tabular/published/pyod_benchmark_roc_2019_docs.csv';

interface Opts {
  data?: string;
  detectors?: string;
  trials: string;
  json?: string;
  published?: string;
  peer?: boolean;
  label: string;
  labeledFraction?: string;
}

type WithPeer = DatasetResult & { peer?: PeerTabular['detectors']; published?: Record<string, number> };

export function benchTabularCommand(): Command {
  return new Command('tabular')
    .description('PyOD benchmark protocol on labeled CSVs: 60/40 splits, ROC-AUC and precision@n per detector')
    .addOption(optionWithDefault('--data <dir-or-csv>', 'a CSV or a folder of CSVs with a 0/1 label column', DEFAULT_DATA))
    .addOption(optionWithDefault('--detectors <a,b>', 'detectors to run', 'every statistical and classical detector; name deep ones'))
    .option('--trials <n>', 'random splits per data set, seeded 0..n-1', '3')
    .option('--label <name>', 'label column', 'label')
    .option(
      '--labeled-fraction <f>',
      'share of the training anomalies (at least 1) whose labels semi-supervised detectors see; supervised ones see every training label',
    )
    .option('--json <file>', 'write the results as JSON')
    .addOption(optionWithDefault('--published <csv>', 'published PyOD ROC table to print beside ours', DEFAULT_PUBLISHED))
    .option('--peer', 'also run ../shared/peers/peers.py tabular on the same files, in this run')
    .action(async (o: Opts) => {
      const files = listCsvs(o.data ?? DEFAULT_DATA, o.data === undefined);
      const detectors =
        o.detectors?.split(',').map((s) => s.trim()).filter(Boolean) ??
        listDetectors().filter((d) => d.family === 'stats' || d.family === 'classical').map((d) => d.name);
      detectors.forEach((d) => getDetector(d));
      const trials = Number(o.trials);
      if (!Number.isInteger(trials) || trials < 1) throw new UsageError(`--trials must be a positive integer, got '${o.trials}'`);
      const labeledFraction = o.labeledFraction === undefined ? undefined : Number(o.labeledFraction);
      if (labeledFraction !== undefined && !(labeledFraction > 0 && labeledFraction <= 1)) {
        throw new UsageError(`--labeled-fraction must be a number in (0, 1], got '${o.labeledFraction}'`);
      }
      const semi = detectors.filter((d) => labelAccess(d) === 'some');
      if (semi.length && labeledFraction === undefined) {
        throw new UsageError(`${semi.join(', ')} ${semi.length > 1 ? 'are' : 'is'} semi-supervised: give --labeled-fraction (e.g. 0.05), the share of training anomalies it may see`);
      }
      const published = loadPublished(o.published);
      const peerScript = o.peer ? findPeerScript() : undefined;
      if (o.peer && !peerScript) throw new UsageError('--peer: no peers.py found (set VIGIL_PEERS to its path)');

      const results: WithPeer[] = [];
      const bar = progress(files.length * detectors.length * trials, 'bench');
      let before = 0;
      for (const file of files) {
        const set: LabeledSet = await loadLabeledSet(file, o.label);
        const [r] = await benchTabular([set], {
          detectors,
          trials,
          ...(labeledFraction === undefined ? {} : { labeledFraction }),
          onStep: (done, _t, label) => bar.update(before + done, label),
        });
        before += detectors.length * trials;
        const res: WithPeer = r!;
        const pub = published?.get(set.name);
        if (pub) res.published = Object.fromEntries([...pub].filter(([d]) => detectors.includes(d)));
        if (peerScript) {
          const peerDets = detectors.map((d) => PEER_NAME[d]).filter((d): d is string => !!d);
          if (peerDets.length) {
            const p = (await runPeer(peerScript, ['tabular', file, '--trials', String(trials), '--label', o.label, '--detectors', peerDets.join(',')])) as PeerTabular;
            res.peer = p.detectors;
          }
        }
        results.push(res);
      }
      bar.stop();
      process.stdout.write(report(results, detectors) + '\n');
      if (o.json) await writeJson(o.json, labeledFraction === undefined ? { datasets: results } : { labeled_fraction: labeledFraction, datasets: results });
    });
}

function listCsvs(path: string, isDefault: boolean): string[] {
  const p = resolve(path);
  if (!existsSync(p)) {
    throw new DataError(isDefault ? `no --data given and the default ${DEFAULT_DATA} is not here` : `no such file or folder: ${path}`);
  }
  if (statSync(p).isFile()) return [p];
  const files = readdirSync(p)
    .filter((f) => /\.csv(\.gz)?$/i.test(f))
    .sort()
    .map((f) => join(p, f));
  if (!files.length) throw new DataError(`no .csv files in ${path}`);
  return files;
}

function loadPublished(path: string | undefined): PublishedTable | undefined {
  const p = path ?? DEFAULT_PUBLISHED;
  if (!existsSync(p)) {
    if (path) throw new DataError(`no such file: ${path}`);
    return undefined;
  }
  return parsePublished(readFileSync(p, 'utf8'));
}

/** One row per data set and detector, then one mean row per detector. */
function report(results: WithPeer[], detectors: string[]): string {
  const header = ['data', 'detector', 'roc', 'published', 'peer roc', 'pr-auc', 'p@n', 'peer p@n', 'fit s', 'score s', 'time/peer'];
  const rows: (string | number | null)[][] = [];
  for (const r of results) {
    for (const d of detectors) {
      const ours = r.detectors[d]!;
      const peer = PEER_NAME[d] ? r.peer?.[PEER_NAME[d]!] : undefined;
      const secs = ours.fit_seconds + ours.score_seconds;
      rows.push([
        basename(r.name),
        d,
        ours.roc,
        r.published?.[d] ?? null,
        peer?.roc ?? null,
        ours.pr_auc,
        ours.p_at_n,
        peer?.p_at_n ?? null,
        ours.fit_seconds,
        ours.score_seconds,
        peer ? secs / peer.seconds : null,
      ]);
    }
  }
  for (const d of detectors) {
    const mean = (f: (r: WithPeer) => number | undefined): number | null => {
      const v = results.map(f).filter((x): x is number => x !== undefined && !Number.isNaN(x));
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    };
    const pn = PEER_NAME[d];
    rows.push([
      'MEAN',
      d,
      mean((r) => r.detectors[d]!.roc),
      mean((r) => r.published?.[d]),
      pn ? mean((r) => r.peer?.[pn]?.roc) : null,
      mean((r) => r.detectors[d]!.pr_auc),
      mean((r) => r.detectors[d]!.p_at_n),
      pn ? mean((r) => r.peer?.[pn]?.p_at_n) : null,
      mean((r) => r.detectors[d]!.fit_seconds),
      mean((r) => r.detectors[d]!.score_seconds),
      pn ? mean((r) => (r.peer?.[pn] ? (r.detectors[d]!.fit_seconds + r.detectors[d]!.score_seconds) / r.peer[pn]!.seconds : undefined)) : null,
    ]);
  }
  return renderTable(header, rows);
}
