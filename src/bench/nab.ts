/**
 * Reading a NAB corpus and a detector's results from disk for `vigil bench nab`; the scoring
 * itself is src/evaluate/nab, which never touches files.
 *
 * Layout (numenta/NAB's, or the flattened copy in ../shared/data/timeseries/nab):
 *   DATA/data/<category>/<file>.csv                  timestamp,value   (or DATA/<category>/...)
 *   DATA/combined_windows.json or DATA/labels/...    {"<category>/<file>.csv": [[start, end], ...]}
 *   DATA/profiles.json or DATA/config/profiles.json  {"standard": {"CostMatrix": {...}}, ...}
 *   SCORES/<category>/<detector>_<file>.csv          with an anomaly_score column
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { DataError } from '../core/errors.js';
import { parseNumber, parseTimestamp, readTable } from '../data/index.js';
import { parseProfiles, type NabFile, type NabProfiles } from '../evaluate/nab/index.js';

export interface NabResultsFile extends NabFile {
  category: string;
  /** The data file's name, e.g. 'nyc_taxi.csv'. */
  file: string;
  /** The S(t)_<profile> columns the results file already holds, if any (NAB writes them when scoring). */
  reference: Record<string, Float64Array>;
}

export interface NabPaths {
  /** Folder holding the data categories. */
  data: string;
  windows: string;
  profiles: string;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((p) => existsSync(p));
}

/** Where the corpus files are under a NAB folder; explicit paths win. */
export function nabPaths(dir: string, o: { windows?: string; profiles?: string } = {}): NabPaths {
  if (!isDir(dir)) throw new DataError(existsSync(dir) ? `${dir} is not a folder` : `no such folder: ${dir}`);
  const data = isDir(join(dir, 'data')) ? join(dir, 'data') : dir;
  const windows = o.windows ?? firstExisting([join(dir, 'combined_windows.json'), join(dir, 'labels', 'combined_windows.json')]);
  if (!windows) throw new DataError(`${dir}: no combined_windows.json (looked in the folder and in labels/); give --windows`);
  const profiles = o.profiles ?? firstExisting([join(dir, 'profiles.json'), join(dir, 'config', 'profiles.json')]);
  if (!profiles) throw new DataError(`${dir}: no profiles.json (looked in the folder and in config/); give --profiles`);
  return { data, windows, profiles };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`no such file: ${path}`);
    if (code === 'EISDIR') throw new DataError(`${path} is a folder, not a JSON file`);
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

const windowsSchema = z.record(z.array(z.tuple([z.string(), z.string()])));

/** combined_windows.json: file key to windows as [start, end] in ms since the epoch. */
export async function readNabWindows(path: string): Promise<Map<string, [number, number][]>> {
  const parsed = windowsSchema.safeParse(await readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DataError(`${path}: not a NAB windows file (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  const out = new Map<string, [number, number][]>();
  for (const [key, ws] of Object.entries(parsed.data)) {
    out.set(
      key,
      ws.map(([a, b]) => {
        const s = parseTimestamp(a);
        const e = parseTimestamp(b);
        if (s === undefined || e === undefined) throw new DataError(`${path}: '${key}' has a window with a bad timestamp: [${a}, ${b}]`);
        return [s, e];
      }),
    );
  }
  if (!out.size) throw new DataError(`${path}: no files listed`);
  return out;
}

export async function readNabProfiles(path: string): Promise<NabProfiles> {
  return parseProfiles(await readJson(path), path);
}

const thresholdsSchema = z.record(z.record(z.object({ threshold: z.number().finite() }).passthrough()));

/** One detector's per-profile thresholds from NAB's config/thresholds.json. */
export async function readNabThresholds(path: string, detector: string): Promise<Record<string, number>> {
  const parsed = thresholdsSchema.safeParse(await readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DataError(`${path}: not a NAB thresholds file (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  const entry = parsed.data[detector];
  if (!entry) throw new DataError(`${path}: no thresholds for detector '${detector}'; it has ${Object.keys(parsed.data).join(', ')}`);
  return Object.fromEntries(Object.entries(entry).map(([profile, v]) => [profile, v.threshold]));
}

export function nabColumn(header: string[], name: string, path: string): number {
  const j = header.indexOf(name);
  if (j < 0) throw new DataError(`${path}: no '${name}' column (columns: ${header.join(', ')})`);
  return j;
}

export function nabTimestamps(rows: (string | null)[][], j: number, path: string): Float64Array {
  return Float64Array.from(rows, (r, i) => {
    const t = parseTimestamp(r[j] ?? '');
    if (t === undefined) throw new DataError(`${path}: row ${i + 1} has timestamp '${r[j] ?? ''}', not a date-time`);
    return t;
  });
}

export function nabNumbers(rows: (string | null)[][], j: number, path: string, name: string): Float64Array {
  return Float64Array.from(rows, (r, i) => {
    const v = parseNumber(r[j] ?? '');
    if (v === undefined) throw new DataError(`${path}: row ${i + 1} has ${name} '${r[j] ?? ''}', not a number`);
    return v;
  });
}

/**
 * Every file of the windows list with the detector's scores. The data file gives the timestamps
 * (as in NAB); the results file must have the same number of rows and, if it has a timestamp
 * column, the same timestamps.
 */
export async function loadNabResults(o: {
  paths: NabPaths;
  scoresDir: string;
  detector: string;
  windows: Map<string, [number, number][]>;
  profiles: readonly string[];
}): Promise<NabResultsFile[]> {
  if (!isDir(o.scoresDir)) throw new DataError(existsSync(o.scoresDir) ? `${o.scoresDir} is not a folder` : `no such folder: ${o.scoresDir}`);
  const out: NabResultsFile[] = [];
  for (const [key, windows] of o.windows) {
    const slash = key.lastIndexOf('/');
    const category = slash < 0 ? '' : key.slice(0, slash);
    const file = key.slice(slash + 1);
    const dataPath = join(o.paths.data, key);
    const scoresPath = join(o.scoresDir, category, `${o.detector}_${file}`);
    if (!existsSync(dataPath)) throw new DataError(`no data file for '${key}': expected ${dataPath}`);
    if (!existsSync(scoresPath)) throw new DataError(`no scores for '${key}': expected ${scoresPath}`);
    const data = await readTable(dataPath);
    const timestamps = nabTimestamps(data.rows, nabColumn(data.header, 'timestamp', dataPath), dataPath);
    const res = await readTable(scoresPath);
    if (res.rows.length !== data.rows.length) {
      throw new DataError(`${scoresPath}: ${res.rows.length} rows but the data file ${dataPath} has ${data.rows.length}`);
    }
    const scores = nabNumbers(res.rows, nabColumn(res.header, 'anomaly_score', scoresPath), scoresPath, 'anomaly_score');
    const tj = res.header.indexOf('timestamp');
    if (tj >= 0) {
      const ts = nabTimestamps(res.rows, tj, scoresPath);
      const bad = ts.findIndex((t, i) => t !== timestamps[i]);
      if (bad >= 0) throw new DataError(`${scoresPath}: row ${bad + 1}'s timestamp differs from the data file's`);
    }
    const reference: Record<string, Float64Array> = {};
    for (const p of o.profiles) {
      const j = res.header.indexOf(`S(t)_${p}`);
      if (j >= 0) reference[p] = nabNumbers(res.rows, j, scoresPath, `S(t)_${p}`);
    }
    out.push({ name: key, category, file, timestamps, scores, windows, reference });
  }
  return out;
}

/** The detector's results folder: SCORES itself, or SCORES/<detector> when that exists. */
export function resultsDir(scores: string, detector: string | undefined): { dir: string; detector: string } {
  if (detector && isDir(join(scores, detector))) return { dir: join(scores, detector), detector };
  return { dir: scores, detector: detector ?? basename(scores.replace(/[\\/]+$/, '')) };
}
