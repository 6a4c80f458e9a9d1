/**
 * A stream detector per key (rolling-z, htm, artime, ...), with an optional drift watch that only
 * reports: a stream detector follows a new regime by itself (a window, or forgetting).
 */
import { FormatError, OptionsError, VigilError } from '../../core/errors.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import { driftFromJSON } from '../drift/registry.js';
import { streamDetectorFromJSON } from '../registry.js';
import type { StreamDetector } from '../stream-detector.js';
import type { Lane, LaneKind, LaneResult } from './lane.js';

interface StreamLaneState {
  detector: unknown;
  drift: unknown;
}

class StreamLane implements Lane {
  constructor(
    private readonly key: string,
    private readonly detector: StreamDetector,
    private readonly drift: DriftDetector | null,
  ) {}

  push(x: Float64Array): LaneResult {
    let r;
    try {
      // A one-channel point goes in as a number: the detectors' scalar path.
      r = this.detector.update(x.length === 1 ? x[0]! : x);
    } catch (e) {
      // The point was checked before: what fails here is the set-up (a threshold that cannot
      // calibrate on the warm-up scores), so it must stop the caller, not be skipped as a bad point.
      if (e instanceof VigilError) throw new OptionsError(`${this.key === '' ? '' : `series '${this.key}': `}${e.message}`);
      throw e;
    }
    const out: LaneResult = { score: r.score, anomaly: r.anomaly, threshold: r.threshold, warm: r.warm };
    if (r.channels) out.channels = r.channels;
    if (this.drift) out.drift = r.warm && this.drift.update(r.score);
    return out;
  }

  toJSON(): StreamLaneState {
    return { detector: this.detector.toJSON(), drift: this.drift ? this.drift.toJSON() : null };
  }
}

export function streamLanes(make: () => StreamDetector, drift: (() => DriftDetector) | null): LaneKind {
  // The first detector is made now, so bad options fail at set-up; it serves the first key.
  let spare: StreamDetector | null = make();
  return {
    channels: null,
    make(key) {
      const d = spare ?? make();
      spare = null;
      return new StreamLane(key, d, drift ? drift() : null);
    },
    restore(key, state) {
      const s = state as StreamLaneState;
      if (!s || typeof s !== 'object' || !('detector' in s)) throw new FormatError(`scorer state: series '${key}' is not a stream detector's`);
      if ((s.drift === null) !== (drift === null)) throw new FormatError(`scorer state: series '${key}': the drift watch does not match the spec`);
      return new StreamLane(key, streamDetectorFromJSON(s.detector), s.drift === null ? null : driftFromJSON(s.drift));
    },
  };
}
