/** Model versions of one team: views, batch scoring, and which model serves a stream. */
import { DataError, OptionsError } from '../../../core/errors.js';
import { toFrame, type RawRow } from '../../../data/index.js';
import { Model } from '../../../model/model.js';
import type { ServiceContext } from '../../context.js';
import { notFound } from '../../http-errors.js';
import type { ModelRecord, ShadowRecord } from '../../storage/jobs.js';
import type { ScoreBody } from './schemas.js';

/** The view leaves the curves out (GET /v1/models/{id}/curves has them): a list of models stays small. */
export const modelViewOf = ({ teamId: _t, file: _f, metrics: { curves: _c, ...metrics }, ...m }: ModelRecord) => ({ ...m, metrics });

/** The training scores' curves the job drew (ROC and PR with a label column, a histogram always); null parts where there are none. */
export function curvesOf(m: ModelRecord) {
  const c = (m.metrics['curves'] ?? {}) as Record<string, unknown>;
  const pick = <T,>(k: string) => (c[k] ?? null) as T | null;
  return { model: m.id, labelled: c['roc'] !== undefined && c['roc'] !== null, roc: pick<{ fpr: number[]; tpr: number[] }>('roc'), pr: pick<{ recall: number[]; precision: number[] }>('pr'), histogram: pick<{ edges: number[]; counts: number[] }>('histogram') };
}
export const candidateViewOf = ({ teamId: _t, streamId: _s, ...c }: ShadowRecord) => c;

export async function modelOf(ctx: ServiceContext, teamId: string, id: string): Promise<ModelRecord> {
  const m = await ctx.storage.jobs.getModel(id);
  if (!m || m.teamId !== teamId) throw notFound(`model ${id}`);
  return m;
}

export async function candidateOf(ctx: ServiceContext, streamId: string, id: string): Promise<ShadowRecord> {
  const c = await ctx.storage.jobs.getShadow(id);
  if (!c || c.streamId !== streamId) throw notFound(`candidate ${id}`);
  return c;
}

const cell = (v: number | string | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** Scores rows by column name with a tabular model: a score, a flag, and where the detector explains, each column's part. */
export async function scoreRows(ctx: ServiceContext, m: ModelRecord, body: ScoreBody) {
  const model = ctx.jobs.models.resolve(m.id);
  if (!(model instanceof Model)) throw new OptionsError(`model ${m.id} is a series model; it scores streams (promote it), not rows`);
  const raw: RawRow[] = body.rows.map((r, i) =>
    model.columns.map((c) => {
      if (!(c.name in r)) throw new DataError(`row ${i}: missing column '${c.name}' (the model reads ${model.columns.map((x) => x.name).join(', ')})`);
      return cell(r[c.name]);
    }),
  );
  const frame = toFrame(model.columns, raw, 0, 'rows');
  const scores = await model.score(frame);
  const explanation = body.explain ? await model.explain(frame) : undefined;
  const explanations = explanation
    ? Array.from({ length: frame.rows }, (_, i) => Object.fromEntries(explanation.columns.map((c, j) => [c, explanation.values.data[i * explanation.columns.length + j]!])))
    : null;
  return { scores: Array.from(scores), anomalies: Array.from(scores, (s) => s > model.cutoff), cutoff: model.cutoff, explanations };
}
