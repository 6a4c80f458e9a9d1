import { z } from 'zod';
import { DataError, FormatError, OptionsError } from '../../core/errors.js';
import { selectRows, type Matrix } from '../../core/matrix.js';
import { averagePrecision } from '../../evaluate/metrics.js';
import { stratifiedKFold } from '../../evaluate/splits.js';
import type { AnyDetectorDefinition, Detector, DetectorState, FitContext, Json, LearningMode, StateArray } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr } from '../state.js';
import { autoChoiceSchema, type AutoCandidate, type AutoChoice } from './choice.js';
import { IDENTITY, combineScaled, fitScale, scaleSchema, type Scale } from './scale.js';

/** What `auto` needs of the registry, given to it there (the registry lists `auto` itself). */
export interface DetectorLookup {
  get(name: string): AnyDetectorDefinition;
}

/**
 * The label-free ensemble: chosen on the design half of the ODDS files (docs/benchmarks.md) from
 * the stats and classical detectors, for the best mean ROC-AUC there. Global (iforest, hbos,
 * kmeans) and local (knn, lof) detectors fail on different data sets; their average fails less.
 */
export const ENSEMBLE_MEMBERS = ['iforest', 'knn', 'lof', 'hbos', 'kmeans'] as const;
/** With labels: the ensemble and the strong single detectors of each learning mode. */
export const LABELED_CANDIDATES = ['ensemble', 'iforest', 'kmeans', 'knn', 'hbos', 'mahalanobis', 'devnet', 'classifier'] as const;

const schema = z.object({
  /** Unsupervised detectors whose robust-z scores are averaged when there are no labels. */
  members: z.array(z.string()).min(1).default([...ENSEMBLE_MEMBERS]),
  /** With labels: the detectors (and `ensemble`) compared by cross-validated PR-AUC. */
  candidates: z.array(z.string()).min(1).default([...LABELED_CANDIDATES]),
  /** Stratified folds of the cross-validation; it needs at least this many labeled anomalies. */
  folds: z.number().int().min(2).max(10).default(3),
  seed: z.number().int().default(0),
});
type Options = z.output<typeof schema>;

interface Member {
  detector: Detector;
  scale: Scale;
}

interface Learned {
  members: Member[];
  choice: AutoChoice;
}

const ENSEMBLE = 'ensemble';

function modeOf(def: AnyDetectorDefinition): LearningMode {
  if (def.modes.includes('unsupervised')) return 'unsupervised';
  return def.modes.includes('semi-supervised') ? 'semi-supervised' : 'supervised';
}

class Auto implements Detector {
  readonly name = 'auto';
  private learned?: Learned;
  constructor(
    readonly options: Options,
    private readonly lookup: DetectorLookup,
  ) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  /** What was chosen and why. */
  choice(): AutoChoice | undefined {
    return this.learned?.choice;
  }

  private build(name: string): Detector {
    const def = this.lookup.get(name);
    const shape = def.schema.shape as Record<string, unknown>;
    return def('seed' in shape ? { seed: this.options.seed } : {});
  }

  private async fitOne(name: string, X: Matrix, labels: Uint8Array | undefined, ctx: FitContext): Promise<Detector> {
    const d = this.build(name);
    const mode = modeOf(this.lookup.get(name));
    await d.fit(X, { ...(ctx.signal ? { signal: ctx.signal } : {}), ...(mode === 'unsupervised' ? {} : { labels }) });
    return d;
  }

  private async fitEnsemble(X: Matrix, ctx: FitContext, report?: (done: number) => void): Promise<Member[]> {
    const out: Member[] = [];
    for (const name of this.options.members) {
      const detector = await this.fitOne(name, X, undefined, ctx);
      out.push({ detector, scale: fitScale(await detector.score(X)) });
      report?.(out.length);
    }
    return out;
  }

  private async fitCandidate(name: string, X: Matrix, labels: Uint8Array, ctx: FitContext): Promise<Member[]> {
    if (name === ENSEMBLE) return this.fitEnsemble(X, ctx);
    return [{ detector: await this.fitOne(name, X, labels, ctx), scale: IDENTITY }];
  }

  async fit(X: Matrix, ctx: FitContext = {}): Promise<void> {
    if (X.rows < 2) throw new DataError('auto needs at least two training rows');
    const labels = ctx.labels;
    if (labels && labels.length !== X.rows) throw new DataError(`${labels.length} labels for ${X.rows} rows`);
    const anomalies = labels ? labels.reduce((a, b) => a + b, 0) : 0;
    const { folds } = this.options;
    if (labels && anomalies >= folds && X.rows - anomalies >= folds) {
      this.learned = await this.crossValidate(X, labels, ctx);
      return;
    }
    const members = await this.fitEnsemble(X, ctx, (k) => ctx.onProgress?.({ fraction: k / this.options.members.length, message: `auto: fitted ${this.options.members[k - 1]}` }));
    const names = this.options.members;
    const why = labels
      ? `${anomalies} labeled anomal${anomalies === 1 ? 'y' : 'ies'}, fewer than the ${folds} folds a cross-validated choice needs, so no labels were used: `
      : 'no labels: ';
    this.learned = {
      members,
      choice: {
        method: 'ensemble',
        chosen: ENSEMBLE,
        members: [...names],
        candidates: names.map((name) => ({ name, mode: 'unsupervised' as const })),
        reason: `${why}the mean of ${names.join(', ')} scores, each as a robust z (median and MAD of its training scores), so no single detector's blind spot decides`,
      },
    };
  }

  private async crossValidate(X: Matrix, labels: Uint8Array, ctx: FitContext): Promise<Learned> {
    const { candidates, folds, seed } = this.options;
    const splits = stratifiedKFold(labels, folds, seed);
    const results: AutoCandidate[] = [];
    let step = 0;
    for (const name of candidates) {
      const mode = name === ENSEMBLE ? 'unsupervised' : modeOf(this.lookup.get(name));
      const aps: number[] = [];
      try {
        for (const { train, test } of splits) {
          ctx.signal?.throwIfAborted();
          const yTrain = Uint8Array.from(train, (i) => labels[i]!);
          const yTest = Uint8Array.from(test, (i) => labels[i]!);
          const members = await this.fitCandidate(name, selectRows(X, train), yTrain, ctx);
          aps.push(averagePrecision(yTest, await scoreMembers(members, selectRows(X, test))));
          ctx.onProgress?.({ fraction: ++step / (candidates.length * folds + 1), message: `auto: cross-validating ${name}` });
        }
        results.push({ name, mode, prAuc: aps.reduce((a, b) => a + b, 0) / aps.length });
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        results.push({ name, mode, error: e.message });
      }
    }
    const scored = results.filter((r) => r.prAuc !== undefined);
    if (!scored.length) throw new DataError(`auto: no candidate could be cross-validated (${results.map((r) => `${r.name}: ${r.error}`).join('; ')})`);
    // Ties go to the earlier candidate: the list runs from the least to the most label-hungry.
    const best = scored.reduce((a, b) => (b.prAuc! > a.prAuc! ? b : a));
    const members = await this.fitCandidate(best.name, X, labels, ctx);
    const others = scored.filter((r) => r !== best).map((r) => `${r.name} ${r.prAuc!.toFixed(3)}`);
    return {
      members,
      choice: {
        method: 'cross-validation',
        chosen: best.name,
        members: best.name === ENSEMBLE ? [...this.options.members] : [best.name],
        candidates: results,
        reason: `${labels.reduce((a, b) => a + b, 0)} labeled anomalies: ${best.name} (${best.mode}) had the highest mean PR-AUC over ${folds} stratified folds, ${best.prAuc!.toFixed(3)}${others.length ? ` (${others.join(', ')})` : ''}; refitted on every row`,
      },
    };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return scoreMembers(fittedOr(this.learned, this.name).members, X);
  }

  naturalThreshold(): number | undefined {
    const members = this.learned?.members;
    return members?.length === 1 && members[0]!.scale === IDENTITY ? members[0]!.detector.naturalThreshold?.() : undefined;
  }

  getState(): DetectorState {
    const { members, choice } = fittedOr(this.learned, this.name);
    const arrays: Record<string, StateArray> = {};
    const saved = members.map(({ detector, scale }, m) => {
      const st = detector.getState();
      for (const [k, a] of Object.entries(st.arrays)) arrays[`${m}/${k}`] = a;
      return { name: detector.name, options: detector.options as Json, params: st.params, scale };
    });
    return { params: { choice: choice as unknown as Json, members: saved }, arrays };
  }

  setState(state: DetectorState): void {
    const choice = autoChoiceSchema.safeParse(state.params['choice']);
    const saved = savedMembersSchema.safeParse(state.params['members']);
    if (!choice.success || !saved.success || !saved.data.length) throw new FormatError('saved auto state is invalid');
    const members = saved.data.map((s, m) => {
      const arrays: Record<string, StateArray> = {};
      for (const [k, a] of Object.entries(state.arrays)) if (k.startsWith(`${m}/`)) arrays[k.slice(`${m}/`.length)] = a;
      const detector = this.lookup.get(s.name)(s.options);
      detector.setState({ params: s.params as Record<string, Json>, arrays });
      const scale = s.scale.center === IDENTITY.center && s.scale.spread === IDENTITY.spread ? IDENTITY : s.scale;
      return { detector, scale };
    });
    this.learned = { members, choice: choice.data };
  }
}

const savedMembersSchema = z.array(
  z.object({ name: z.string(), options: z.record(z.unknown()), params: z.record(z.unknown()), scale: scaleSchema }),
);

async function scoreMembers(members: readonly Member[], X: Matrix): Promise<Float64Array> {
  if (members.length === 1 && members[0]!.scale === IDENTITY) return members[0]!.detector.score(X);
  const per: Float64Array[] = [];
  for (const m of members) per.push(await m.detector.score(X));
  return combineScaled(per, members.map((m) => m.scale));
}

function checkNames(lookup: DetectorLookup, o: Options): void {
  for (const name of o.members) {
    if (name === 'auto' || modeOf(lookup.get(name)) !== 'unsupervised') throw new OptionsError(`auto: member '${name}' must be an unsupervised detector`);
  }
  for (const name of o.candidates) if (name === 'auto' || (name !== ENSEMBLE && !lookup.get(name))) throw new OptionsError(`auto: candidate '${name}' is not a detector`);
}

/** The `auto` definition, over the registry's detectors. */
export function autoDetector(lookup: DetectorLookup) {
  return defineDetector(
    {
      name: 'auto',
      family: 'ensemble',
      summary: 'chooses for the data: without labels the mean of robust-z iforest, knn, lof, hbos and kmeans scores; with labels the best cross-validated PR-AUC',
      citation: 'Aggarwal & Sathe, Theoretical Foundations and Algorithms for Outlier Ensembles, SIGKDD Explorations 2015 (averaging standardized scores)',
      modes: ['unsupervised', 'semi-supervised', 'supervised'],
    },
    schema,
    (o) => {
      checkNames(lookup, o);
      return new Auto(o, lookup);
    },
  );
}
