/**
 * What scores a stream, as data: the one description the CLI's flags and the service's stream
 * settings both turn into. Validated once, at `createStreamScorer`, so a bad spec is one error at
 * set-up and never one per point.
 */
import { z } from 'zod';
import { OptionsError } from '../../core/errors.js';
import { DRIFT_DETECTORS } from '../drift/registry.js';

export const thresholdChoiceSchema = z.discriminatedUnion('kind', [
  /** A fixed value on the detector's (or the model's) score scale. */
  z.object({ kind: z.literal('value'), value: z.number().finite() }),
  /** An EVT threshold with risk q per point: SPOT for stream detectors, POT for series detectors. */
  z.object({ kind: z.literal('risk'), q: z.number().positive().lt(1) }),
  /** The detector's own default (SPOT at 1e-4, or a detector's fixed cut such as artime's). */
  z.object({ kind: z.literal('default') }),
]);

export const scorerSpecSchema = z
  .object({
    /** A stream detector (rolling-z, rolling-mad, ewma, discord, htm, artime) or a series detector learning online (seasonal, lstm, ...); with a model, the model's detector. */
    detector: z.string().min(1),
    /** The name of the fitted model given beside the spec (the service's model version id): part of what scores, so a checkpoint carries over only to a spec naming the same model. */
    model: z.string().min(1).optional(),
    /** The detector's own options, validated by the detector. */
    options: z.record(z.unknown()).default({}),
    threshold: thresholdChoiceSchema.default({ kind: 'default' }),
    /** Points before any judgement (stream detectors: the detector's own default; series detectors: the first fit's points, default 1000). */
    warmup: z.number().int().nonnegative().optional(),
    /** A drift watch: reported on each result; series detectors and series models refit on it. */
    drift: z.object({ kind: z.enum(DRIFT_DETECTORS), options: z.record(z.unknown()).default({}) }).strict().optional(),
    /** Most keyed series at once (default 1000); a point of one more is a DataError. */
    maxSeries: z.number().int().positive().optional(),
    /** Channel names in order; default: the keys of the first point's values (a model: its columns). */
    channels: z.array(z.string().min(1)).min(1).optional(),
    /** Series only: recent points kept per series, what a refit learns from (default max(2000, warmup)). */
    buffer: z.number().int().positive().optional(),
    /** Series only: points after a drift before the refit starts (default: the buffer). */
    refitAfter: z.number().int().nonnegative().optional(),
    /** Series only: watch the joint score (default) or each input channel for drift. */
    driftOn: z.enum(['score', 'input']).optional(),
  })
  .strict();

export type ScorerSpec = z.infer<typeof scorerSpecSchema>;
export type ScorerSpecInput = z.input<typeof scorerSpecSchema>;
export type ThresholdChoice = z.infer<typeof thresholdChoiceSchema>;

/** The spec with its defaults, or one OptionsError naming the first bad field. */
export function parseScorerSpec(spec: unknown): ScorerSpec {
  const r = scorerSpecSchema.safeParse(spec);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'spec';
  throw new OptionsError(`scorer spec: ${where}: ${issue.message}`);
}
