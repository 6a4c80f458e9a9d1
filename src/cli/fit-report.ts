/**
 * What `vigil fit` tells about a tabular fit: the column roles (label, id, ignored columns as the
 * flags set them aside), the column report and its warnings, the threshold and training summary.
 */
import type { Model } from '../model/model.js';
import type { AutoChoice } from '../detectors/auto/choice.js';
import type { SetAside } from '../model/column-report.js';
import { AUTO_MAX_RATE } from '../threshold/index.js';
import { describeThreshold } from './threshold-flags.js';
import { splitList, type TrainingFlags } from './input.js';
import { renderColumnReport, warningWithHint } from './column-report.js';

export interface ColumnFlags extends TrainingFlags {
  /** An id column: kept out of the features like --ignore, and named as the id in the report. */
  id?: string;
}

/** The flags `loadTraining` reads, with the --id column left out like an ignored one. */
export function trainingFlags(o: ColumnFlags): TrainingFlags {
  if (o.id === undefined) return o;
  return { ...o, ignore: [...splitList(o.ignore), o.id].join(',') };
}

/** The columns the flags kept out of the frame, and why. */
export function setAsideColumns(o: ColumnFlags, droppedConstant: readonly string[]): SetAside[] {
  const out: SetAside[] = [];
  if (o.label) out.push({ name: o.label, role: 'label', reason: 'given by --label' });
  if (o.id !== undefined) out.push({ name: o.id, role: 'id', reason: 'given by --id' });
  for (const name of splitList(o.ignore)) if (name !== o.id) out.push({ name, role: 'ignored', reason: 'given by --ignore' });
  for (const name of droppedConstant) out.push({ name, role: 'ignored', reason: 'constant, --drop-constant' });
  return out;
}

/** The column report and fit summary on stdout, each warning once on stderr. */
export function printFitReport(model: Model, o: { detector: string; out: string }, seconds: number): void {
  const { report, training } = model.record;
  const lines: string[] = [];
  if (report) lines.push(...renderColumnReport(report));
  lines.push(`fitted ${o.detector} on ${training?.rows ?? '?'} rows x ${model.preprocessor.featureNames.length} features in ${seconds.toFixed(2)}s`);
  const auto = model.info.auto;
  if (auto) lines.push(describeAuto(auto));
  const how = describeThreshold(model.threshold) + (training?.autoRule ? `: ${AUTO_RULE_TEXT[training.autoRule]}` : '');
  lines.push(`threshold ${model.cutoff.toPrecision(6)} (${how}): ${training?.flagged ?? '?'} training rows above it`);
  lines.push(`saved ${o.out}`);
  process.stdout.write(lines.join('\n') + '\n');
  for (const w of report?.warnings ?? []) process.stderr.write(`vigil: warning: ${warningWithHint(w)}\n`);
}

/** `auto chose ...`: the one line `fit` and `inspect` give about an auto model's choice. */
export function describeAuto(a: AutoChoice): string {
  return `auto chose ${a.chosen}${a.chosen === 'ensemble' ? ` of ${a.members.join(', ')}` : ''} (${a.method}): ${a.reason}`;
}

export const AUTO_RULE_TEXT = {
  detector: "the detector's own cutoff",
  fence: 'far-out fence Q3 + 3 IQR of the training scores',
  cap: `capped to flag at most ${100 * AUTO_MAX_RATE}% of training rows`,
} as const;
