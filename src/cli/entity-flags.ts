/** The flags that give `vigil fit` per-entity features, and the spec they make. */
import { Option } from 'commander';
import { WINDOW_HINT, windowSeconds, type EntityFeaturesSpec } from '../preprocess/entity/index.js';
import { optionWithDefault } from './conventions.js';
import { splitList } from './input.js';
import { wholeFlag } from './number-flags.js';
import { UsageError } from './usage-error.js';

export interface EntityFlags {
  entity?: string;
  time?: string;
  window?: string;
  entityValues?: string;
  entityDistinct?: string;
  maxEntities?: string;
  maxEventsPerEntity?: string;
  timeUnit?: string;
}

/** Flags that mean nothing without --entity. */
const WITH_ENTITY = ['time', 'window', 'entityValues', 'entityDistinct', 'maxEntities', 'maxEventsPerEntity', 'timeUnit'] as const;
export const DEFAULT_WINDOWS = '1h,24h';

export function entityOptions(): Option[] {
  return [
    new Option('--entity <a,b>', 'key columns (card, ip, user, host): add per-entity features from earlier rows; needs --time'),
    new Option('--time <column>', 'with --entity: the time column (timestamps, or numbers in --time-unit)'),
    optionWithDefault('--window <list>', `with --entity: windows for counts, sums, means and distinct counts (${WINDOW_HINT})`, DEFAULT_WINDOWS),
    optionWithDefault('--entity-values <a,b>', 'with --entity: numeric columns to sum, average and z-score per entity', 'every numeric column but the keys and time'),
    new Option('--entity-distinct <a,b>', 'with --entity: columns whose distinct count per entity and window is a feature'),
    optionWithDefault('--max-entities <n>', 'with --entity: entities remembered per key, the least recently seen forgotten first', '100000'),
    optionWithDefault('--max-events-per-entity <n>', 'with --entity: recent events kept per entity', '1000'),
    optionWithDefault('--time-unit <s|ms>', 'with --entity: what a numeric --time column counts', 's'),
  ];
}

/** The entity spec the flags give, or undefined without --entity. */
export function entityFromFlags(o: EntityFlags): EntityFeaturesSpec | undefined {
  if (o.entity === undefined) {
    const stray = WITH_ENTITY.find((k) => o[k] !== undefined);
    if (stray) throw new UsageError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --entity <key columns>`);
    return undefined;
  }
  if (o.time === undefined) throw new UsageError('--entity needs --time <column>: entity features count earlier rows, so they need each row\'s time');
  const windows = splitList(o.window ?? DEFAULT_WINDOWS);
  for (const w of windows) if (windowSeconds(w) === undefined) throw new UsageError(`--window: '${w}' is not a duration: use ${WINDOW_HINT}`);
  if (o.timeUnit !== undefined && o.timeUnit !== 's' && o.timeUnit !== 'ms') throw new UsageError(`--time-unit must be s or ms, got '${o.timeUnit}'`);
  const maxEntities = wholeFlag(o.maxEntities, '--max-entities', 1);
  const maxEventsPerEntity = wholeFlag(o.maxEventsPerEntity, '--max-events-per-entity', 1);
  return {
    keys: splitList(o.entity),
    time: o.time,
    windows,
    ...(o.entityValues !== undefined ? { values: splitList(o.entityValues) } : {}),
    ...(o.entityDistinct !== undefined ? { distinct: splitList(o.entityDistinct) } : {}),
    ...(maxEntities !== undefined ? { maxEntities } : {}),
    ...(maxEventsPerEntity !== undefined ? { maxEventsPerEntity } : {}),
    ...(o.timeUnit !== undefined ? { timeUnit: o.timeUnit as 's' | 'ms' } : {}),
  };
}

/** The columns an entity spec reads, which --ignore and --label must leave in. */
export function entityColumns(spec: EntityFeaturesSpec): string[] {
  return [...spec.keys, spec.time, ...(spec.values ?? []), ...(spec.distinct ?? [])];
}
