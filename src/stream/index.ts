/** Streaming: stream detectors with their thresholds, drift detectors, and the refit wrapper for series detectors. */
export {
  FixedThreshold,
  SpotThreshold,
  thresholdFromJSON,
  type StreamDetector,
  type StreamDetectorState,
  type StreamPoint,
  type StreamResult,
  type StreamThreshold,
  type ThresholdState,
} from './stream-detector.js';
export { STREAM_DETECTORS, makeStreamDetector } from './registry.js';
export { RollingZ } from './detectors/rolling-z/rolling-z.js';
export { RollingMad } from './detectors/rolling-mad/rolling-mad.js';
export { EwmaDetector } from './detectors/ewma/ewma.js';
export { Discord, type DiscordOptions } from './detectors/discord/discord.js';
export type { DriftDetector } from './drift/drift-detector.js';
export { Adwin, type AdwinOptions, type AdwinState } from './drift/adwin.js';
export { PageHinkley, type PageHinkleyOptions, type PageHinkleyState } from './drift/page-hinkley.js';
export { DRIFT_DETECTORS, driftFromJSON, makeDriftDetector } from './drift/registry.js';
export { RefitStream, type RefitEvent, type RefitResult, type RefitStreamOptions } from './refit.js';
export { SpecThreshold } from './spec-threshold.js';
export { LearningStream, type LearningEvent, type LearningStreamOptions, type PointStream, type StreamStep } from './learning.js';
export { DEFAULT_MAX_SERIES, KeyedStreams } from './keyed.js';
export { seriesModelStream, type ModelStreamOptions } from './model-stream.js';
export {
  createStreamScorer,
  parseScorerSpec,
  restoreStreamScorer,
  scorerSpecSchema,
  thresholdChoiceSchema,
  SPOT_MIN_WARMUP,
  type FittedModelLike,
  type ScoredPoint,
  type ScorerEvent,
  type ScorerPoint,
  type ScorerSpec,
  type ScorerSpecInput,
  type ScorerState,
  type StreamScorer,
  type ThresholdChoice,
} from './scorer/index.js';
