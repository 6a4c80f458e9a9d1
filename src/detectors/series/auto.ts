import { z } from 'zod';
import { FormatError, OptionsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { DetectorState, FitContext, Json, StateArray } from '../detector.js';
import { autoChoiceSchema, type AutoChoice } from '../auto/choice.js';
import { combineScaled, fitScale, scaleSchema, type Scale } from '../auto/scale.js';
import { fittedOr } from '../state.js';
import { checkSeries } from './check.js';
import { defineSeriesDetector } from './define.js';
import type { AnySeriesDetectorDefinition, SeriesDetector, SeriesScores } from './series-detector.js';

/** What `series-auto` needs of the series registry, given to it there. */
export interface SeriesLookup {
  get(name: string): AnySeriesDetectorDefinition | undefined;
}

/**
 * The pair `bench nab` found strongest among the fast series baselines (docs/benchmarks.md):
 * a seasonal profile sees level and shape changes, a discord sees subsequences unlike any before.
 */
export const SERIES_ENSEMBLE_MEMBERS = ['seasonal', 'discord'] as const;

const schema = z.object({
  /** Unsupervised series detectors whose robust-z scores are averaged, step by step. */
  members: z.array(z.string()).min(1).default([...SERIES_ENSEMBLE_MEMBERS]),
});
type Options = z.output<typeof schema>;

interface Learned {
  /** Per member: the joint score's scale, then one per channel. */
  scales: { joint: Scale; channels: Scale[] }[];
  choice: AutoChoice;
}

/** Scores after the warm-up, where a detector has the history it needs. */
function afterWarmup(values: ArrayLike<number>, warmup: number): Float64Array {
  return Float64Array.from(values).subarray(Math.min(warmup, Math.max(0, values.length - 1)));
}

function column(m: Matrix, j: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]!);
}

class SeriesAuto implements SeriesDetector {
  readonly name = 'series-auto';
  readonly context: number;
  private readonly members: SeriesDetector[];
  private learned?: Learned;

  constructor(
    readonly options: Options,
    lookup: SeriesLookup,
  ) {
    this.members = options.members.map((name) => {
      const def = lookup.get(name);
      if (!def || name === 'series-auto' || !def.modes.includes('unsupervised')) throw new OptionsError(`series-auto: member '${name}' must be an unsupervised series detector`);
      return def({});
    });
    this.context = Math.max(...this.members.map((m) => m.context));
  }

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  choice(): AutoChoice | undefined {
    return this.learned?.choice;
  }

  async fit(series: Matrix, ctx: FitContext = {}): Promise<void> {
    checkSeries(series, this.name, this.context, 'fit');
    const scales: Learned['scales'] = [];
    for (const m of this.members) {
      await m.fit(series, ctx.signal ? { signal: ctx.signal } : {});
      const s = await m.score(series);
      scales.push({
        joint: fitScale(afterWarmup(s.score, s.warmup)),
        channels: Array.from({ length: s.channels.cols }, (_, j) => fitScale(afterWarmup(column(s.channels, j), s.warmup))),
      });
    }
    const names = this.options.members;
    this.learned = {
      scales,
      choice: {
        method: 'ensemble',
        chosen: 'ensemble',
        members: [...names],
        candidates: names.map((name) => ({ name, mode: 'unsupervised' as const })),
        reason: `series, no labels read: the mean of ${names.join(', ')} scores per step, each as a robust z of its training scores after its warm-up`,
      },
    };
  }

  async score(series: Matrix): Promise<SeriesScores> {
    const { scales } = fittedOr(this.learned, this.name);
    checkSeries(series, this.name, this.context, 'score');
    const per: SeriesScores[] = [];
    for (const m of this.members) per.push(await m.score(series));
    const warmup = Math.max(...per.map((p) => p.warmup));
    const score = combineScaled(per.map((p) => p.score), scales.map((s) => s.joint));
    const cols = per[0]!.channels.cols;
    const channels = matrix(series.rows, cols);
    for (let j = 0; j < cols; j++) {
      const c = combineScaled(per.map((p) => column(p.channels, j)), scales.map((s) => s.channels[j]!));
      for (let i = 0; i < series.rows; i++) channels.data[i * cols + j] = c[i]!;
    }
    // Series scores are never negative: a step below its members' medians is simply normal (0).
    for (let i = 0; i < series.rows; i++) {
      score[i] = i < warmup ? 0 : Math.max(0, score[i]!);
      for (let j = 0; j < cols; j++) channels.data[i * cols + j] = i < warmup ? 0 : Math.max(0, channels.data[i * cols + j]!);
    }
    return { score, channels, warmup };
  }

  getState(): DetectorState {
    const { scales, choice } = fittedOr(this.learned, this.name);
    const arrays: Record<string, StateArray> = {};
    const members = this.members.map((m, k) => {
      const st = m.getState();
      for (const [key, a] of Object.entries(st.arrays)) arrays[`${k}/${key}`] = a;
      return { params: st.params, scales: scales[k]! as unknown as Json };
    });
    return { params: { choice: choice as unknown as Json, members }, arrays };
  }

  setState(state: DetectorState): void {
    const choice = autoChoiceSchema.safeParse(state.params['choice']);
    const saved = savedSchema.safeParse(state.params['members']);
    if (!choice.success || !saved.success || saved.data.length !== this.members.length) throw new FormatError('saved series-auto state is invalid');
    saved.data.forEach((s, k) => {
      const arrays: Record<string, StateArray> = {};
      for (const [key, a] of Object.entries(state.arrays)) if (key.startsWith(`${k}/`)) arrays[key.slice(`${k}/`.length)] = a;
      this.members[k]!.setState({ params: s.params as Record<string, Json>, arrays });
    });
    this.learned = { scales: saved.data.map((s) => s.scales), choice: choice.data };
  }
}

const savedSchema = z.array(z.object({ params: z.record(z.unknown()), scales: z.object({ joint: scaleSchema, channels: z.array(scaleSchema) }) }));

/** The `series-auto` definition, over the series registry's detectors. */
export function seriesAutoDetector(lookup: SeriesLookup) {
  return defineSeriesDetector(
    {
      name: 'series-auto',
      summary: 'series without labels: the mean of robust-z seasonal and discord scores per step, floored at 0 (vigil fit --detector auto on series data)',
      citation: 'Aggarwal & Sathe, Theoretical Foundations and Algorithms for Outlier Ensembles, SIGKDD Explorations 2015 (averaging standardized scores)',
      modes: ['unsupervised'],
    },
    schema,
    (o) => new SeriesAuto(o, lookup),
  );
}
