import { Command } from 'commander';
import { optionWithDefault } from '../conventions.js';
import {
  loadNabResults,
  nabPaths,
  readNabProfiles,
  readNabThresholds,
  readNabWindows,
  resultsDir,
  type NabResultsFile,
} from '../../bench/nab.js';
import { NAB_AVERAGE, NAB_CALIBRATIONS, NAB_SUPPRESS, runNabDetector, type NabCalibration } from '../../bench/nab-detect.js';
import { NAB_PROFILE_NAMES, nabRowMetrics, scoreNab, selectProfiles, type NabResult } from '../../evaluate/nab/index.js';
import { writeJson } from '../commands/bench.js';
import { collect } from '../commands/fit.js';
import { progress } from '../progress.js';
import { renderTable } from '../table.js';
import { numberFlag, wholeFlag } from '../number-flags.js';
import { UsageError } from '../usage-error.js';
import { metricsJson, metricsTable, seriesDetectorSet } from './series.js';

const DEFAULT_DATA = '../shared/data/timeseries/nab';

interface Opts {
  data?: string;
  scores?: string;
  detector?: string;
  thresholds?: string;
  profiles?: string;
  windows?: string;
  profilesFile?: string;
  json?: string;
  set: string[];
  suppress?: string;
  average?: string;
  calibration?: string;
  spatial?: string;
  pointAdjust?: boolean;
  inputRange?: boolean;
}

export function benchNabCommand(): Command {
  return new Command('nab')
    .description("Numenta Anomaly Benchmark scoring (NAB's windows, probation, scaled sigmoid, threshold sweep, 0-100 normalisation)")
    .addOption(optionWithDefault('--data <dir>', 'NAB folder: data/<category>/*.csv, combined_windows.json, profiles.json', DEFAULT_DATA))
    .option('--scores <dir>', "a detector's results in NAB's layout: <category>/<detector>_<file>.csv with an anomaly_score column")
    .addOption(optionWithDefault('--detector <name>', 'detector name, the file prefix in --scores', 'the --scores folder name'))
    .option('--thresholds <json>', "use this detector's thresholds from NAB's thresholds.json instead of sweeping for the best")
    .addOption(optionWithDefault('--profiles <a,b>', 'profiles to score', NAB_PROFILE_NAMES.join(',')))
    .addOption(optionWithDefault('--windows <json>', 'anomaly windows file', 'combined_windows.json in --data'))
    .addOption(optionWithDefault('--profiles-file <json>', 'profiles file', 'profiles.json in --data'))
    .option('--json <file>', 'write the results as JSON')
    .option('--set <key=value>', 'a series detector option (with --detector and no --scores); repeat for more', collect, [])
    .addOption(optionWithDefault('--calibration <kind>', "with --detector: raw scores to NAB scores by 'tail' (a causal z), 'likelihood' (NuPIC's anomaly likelihood, as NAB's numenta detector) or 'none' (the scores as they are, in [0, 1], as artime gives)", 'tail'))
    .addOption(optionWithDefault('--average <steps>', 'with --detector and the tail calibration: raw scores averaged over this many steps', String(NAB_AVERAGE)))
    .addOption(optionWithDefault('--suppress <steps>', 'with --detector: keep a calibrated score only where it beats the previous N (0 = off)', `${NAB_SUPPRESS} with the tail calibration, 0 with likelihood`))
    .addOption(optionWithDefault('--spatial <tolerance>', "with --detector: a value beyond the file's range so far by more than this fraction of it scores 1 (NAB's numenta detector uses 0.05)", 'off'))
    .option('--input-range', "with --detector: give each detector the file's min and max as its `min` and `max` options, as NAB hands its detectors (artime takes them)")
    .option('--point-adjust', 'also report point-adjusted F1 (optimistic)')
    .action(async (o: Opts) => {
      if (o.scores === undefined) {
        if (o.detector !== undefined) return runDetector(o);
        throw new UsageError('give --detector NAME to run a series detector, or --scores DIR with precomputed anomaly scores in NAB results layout');
      }
      const paths = nabPaths(o.data ?? DEFAULT_DATA, { windows: o.windows, profiles: o.profilesFile });
      const allProfiles = await readNabProfiles(paths.profiles);
      const names = o.profiles ? o.profiles.split(',').map((s) => s.trim()).filter(Boolean) : defaultProfiles(Object.keys(allProfiles));
      const profiles = selectProfiles(allProfiles, names);
      const { dir, detector } = resultsDir(o.scores, o.detector);
      const windows = await readNabWindows(paths.windows);
      const files = await loadNabResults({ paths, scoresDir: dir, detector, windows, profiles: names });
      const thresholds = o.thresholds ? pick(await readNabThresholds(o.thresholds, detector), names, o.thresholds) : undefined;
      const result = scoreNab(files, profiles, { thresholds });
      process.stdout.write(report(detector, files, result, thresholds !== undefined) + '\n');
      if (o.json) await writeJson(o.json, toJson(detector, files, result, thresholds !== undefined));
    });
}

/** `--detector X` without `--scores`: run a series detector on every file, then score as NAB does. */
async function runDetector(o: Opts): Promise<void> {
  const name = o.detector!;
  const makers = seriesDetectorSet(name, o.set);
  const detectorLabel = makers.map((m) => m.label).join(' + ');
  const calibration = (o.calibration ?? 'tail') as NabCalibration;
  if (!NAB_CALIBRATIONS.includes(calibration)) throw new UsageError(`--calibration must be one of ${NAB_CALIBRATIONS.join(', ')}, got '${o.calibration}'`);
  const tail = calibration === 'tail';
  if (!tail && o.average !== undefined) throw new UsageError(`--average is a setting of the tail calibration, not of '${calibration}'`);
  const rangeless = o.inputRange ? makers.find((m) => !m.takes('min') || !m.takes('max')) : undefined;
  if (rangeless) throw new UsageError(`--input-range gives each detector a min and max option, which '${rangeless.name}' does not take`);
  const steps = wholeFlag(o.suppress, '--suppress', 0) ?? (tail ? NAB_SUPPRESS : 0);
  const average = wholeFlag(o.average, '--average', 1) ?? NAB_AVERAGE;
  const spatial = o.spatial === undefined ? undefined : numberFlag(o.spatial, '--spatial');
  if (spatial !== undefined && spatial < 0) throw new UsageError(`--spatial must be a number >= 0, got '${o.spatial}'`);
  const paths = nabPaths(o.data ?? DEFAULT_DATA, { windows: o.windows, profiles: o.profilesFile });
  const allProfiles = await readNabProfiles(paths.profiles);
  const names = o.profiles ? o.profiles.split(',').map((s) => s.trim()).filter(Boolean) : defaultProfiles(Object.keys(allProfiles));
  const profiles = selectProfiles(allProfiles, names);
  const windows = await readNabWindows(paths.windows);
  const bar = progress(windows.size, `nab ${name}`);
  const files = await runNabDetector({ paths, windows, make: (range) => makers.map((m) => m.make(o.inputRange ? range : undefined)), calibration, suppress: steps, average, spatial, onFile: (f, done) => bar.update(done, f) });
  bar.stop();
  const result = scoreNab(files, profiles);
  const label = [detectorLabel, tail ? `average=${average}` : calibration, `suppress=${steps}`, ...(spatial === undefined ? [] : [`spatial=${spatial}`]), ...(o.inputRange ? ['input-range'] : [])].join(' ');
  const at = names.includes('standard') ? 'standard' : names[0]!;
  const metrics = nabRowMetrics(files, result.profiles[at]!.threshold, { pointAdjusted: o.pointAdjust });
  const lines = [report(label, files, result, false), '', `At the ${at} profile's threshold (${fmt(result.profiles[at]!.threshold)}), rows after probation:`];
  lines.push(metricsTable(metrics.corpus));
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) {
    const json = toJson(name, files, result, false) as { files: Record<string, unknown>[] };
    json.files.forEach((f, j) => Object.assign(f, metricsJson(metrics.files[j]!)));
    await writeJson(o.json, json);
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/** NAB's three published profiles when the file has them, else every profile in the file. */
function defaultProfiles(available: string[]): string[] {
  const std = NAB_PROFILE_NAMES.filter((n) => available.includes(n));
  return std.length ? [...std] : available;
}

function pick(all: Record<string, number>, names: string[], path: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    if (all[n] === undefined) throw new UsageError(`${path}: no threshold for profile '${n}'`);
    out[n] = all[n]!;
  }
  return out;
}

/** Max |S(t) ours - S(t) in the results file| per profile, where the file has the column. */
function referenceDiff(files: NabResultsFile[], result: NabResult, profile: string): number | undefined {
  let max: number | undefined;
  files.forEach((f, j) => {
    const ref = f.reference[profile];
    if (!ref) return;
    const ours = result.files[j]!.st[profile]!;
    let m = 0;
    for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ours[i]! - ref[i]!));
    max = Math.max(max ?? 0, m);
  });
  return max;
}

function report(detector: string, files: NabResultsFile[], r: NabResult, given: boolean): string {
  const names = Object.keys(r.profiles);
  const lines: string[] = [];
  lines.push(`NAB: detector '${detector}', ${files.length} files, ${r.windows} windows; thresholds ${given ? 'from --thresholds' : 'swept for the best corpus score'}`);
  lines.push('');
  lines.push(
    renderTable(
      ['profile', 'threshold', 'raw', 'null', 'perfect', 'score (0-100)', 'windows hit', 'FP rows'],
      names.map((n) => {
        const p = r.profiles[n]!;
        return [n, p.threshold, p.raw, p.null, p.perfect, p.normalized, `${p.detectedWindows}/${r.windows}`, p.falsePositives];
      }),
      4,
    ),
  );
  lines.push('');
  lines.push(
    renderTable(
      ['file', 'rows', 'windows', ...names.map((n) => `raw ${n}`)],
      r.files.map((f) => [f.name, f.rows, f.windows, ...names.map((n) => f.raw[n]!)]),
      4,
    ),
  );
  if (given) {
    const diffs = names.map((n) => [n, referenceDiff(files, r, n)] as const).filter(([, d]) => d !== undefined);
    if (diffs.length) {
      lines.push('');
      lines.push(`S(t) against the results files' own columns: max |difference| ${diffs.map(([n, d]) => `${n} ${d!.toExponential(2)}`).join(', ')}`);
    }
  }
  return lines.join('\n');
}

function toJson(detector: string, files: NabResultsFile[], r: NabResult, given: boolean): unknown {
  const names = Object.keys(r.profiles);
  const per = <T>(f: (n: string) => T): Record<string, T> => Object.fromEntries(names.map((n) => [n, f(n)]));
  return {
    detector,
    profiles: per((n) => r.profiles[n]!.normalized),
    files: r.files.map((f, j) => ({
      category: files[j]!.category,
      file: files[j]!.file,
      rows: f.rows,
      windows: f.windows,
      probation: f.probation,
      raw: per((n) => f.raw[n]!),
      threshold: per((n) => jsonNumber(r.profiles[n]!.threshold)),
      threshold_from: given ? 'given' : 'sweep',
      detected_windows: per((n) => f.detectedWindows[n]!),
      false_positives: per((n) => f.falsePositives[n]!),
    })),
  };
}

/** JSON has no Infinity: the detect-nothing threshold is written as null. */
function jsonNumber(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
