/**
 * NAB application profiles (Lavin & Ahmad 2015, "Evaluating Real-time Anomaly Detection
 * Algorithms - the Numenta Anomaly Benchmark", ICMLA; numenta/NAB
 * config/profiles.json): each is a cost matrix weighting true positives, false positives and
 * false negatives. True negatives carry a weight in the file but never score.
 */
import { z } from 'zod';
import { DataError } from '../../core/errors.js';

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export type NabProfiles = Record<string, CostMatrix>;

/** The three profiles NAB publishes scores for. */
export const NAB_PROFILE_NAMES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;

/** NAB's published weights, for use without a profiles.json at hand. */
export const NAB_PROFILES: NabProfiles = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};

const weight = z.number().finite().min(0);
const fileSchema = z.record(
  z.object({
    CostMatrix: z.object({ tpWeight: weight, fpWeight: weight, fnWeight: weight, tnWeight: weight.optional() }).passthrough(),
  }).passthrough(),
);

/** Profiles from the parsed content of NAB's profiles.json; anything malformed is a DataError. */
export function parseProfiles(json: unknown, source = 'profiles.json'): NabProfiles {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DataError(`${source}: not a NAB profiles file (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  const out: NabProfiles = {};
  for (const [name, p] of Object.entries(parsed.data)) {
    const { tpWeight, fpWeight, fnWeight } = p.CostMatrix;
    if (!(tpWeight > 0)) throw new DataError(`${source}: profile '${name}' has tpWeight ${tpWeight}; it must be > 0 to normalise scores`);
    out[name] = { tpWeight, fpWeight, fnWeight };
  }
  if (!Object.keys(out).length) throw new DataError(`${source}: no profiles`);
  return out;
}

/** The named profiles, in the order given; an unknown name is a DataError listing the known ones. */
export function selectProfiles(all: NabProfiles, names: readonly string[]): NabProfiles {
  const out: NabProfiles = {};
  for (const n of names) {
    const p = all[n];
    if (!p) throw new DataError(`unknown NAB profile '${n}'; known: ${Object.keys(all).join(', ')}`);
    out[n] = p;
  }
  return out;
}
