import { DataError, FormatError, NotFittedError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { DetectorState, StateArray } from './detector.js';

/** Returns the learned value, or throws the named not-fitted error. */
export function fittedOr<T>(value: T | undefined, detector: string): T {
  if (value === undefined) throw new NotFittedError(detector);
  return value;
}

/** Reads a typed array from saved state, checking that it is there and of the right type. */
export function stateArray<C extends new (n: number) => StateArray>(
  state: DetectorState,
  key: string,
  type: C,
): InstanceType<C> {
  const a = state.arrays[key];
  if (!(a instanceof type)) throw new FormatError(`saved state lacks array '${key}' of type ${type.name}`);
  return a as InstanceType<C>;
}

export function stateNumber(state: DetectorState, key: string): number {
  const v = state.params[key];
  if (typeof v !== 'number') throw new FormatError(`saved state lacks number '${key}'`);
  return v;
}

/** Scoring data must have the columns the detector was fitted on. */
export function checkFeatures(detector: string, fitted: number, X: Matrix): void {
  if (X.cols !== fitted) throw new DataError(`${detector} was fitted on ${fitted} features, got ${X.cols}`);
}
