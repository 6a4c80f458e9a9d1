/** Per-entity features (counts, sums, means, distinct counts, time since previous, z) computed from earlier rows only. */
export { entityFeaturesSchema, parseEntitySpec, DEFAULT_MAX_ENTITIES, DEFAULT_MAX_EVENTS_PER_ENTITY, type EntityFeaturesSpec, type ResolvedEntitySpec } from './spec.js';
export { windowSeconds, WINDOW_HINT } from './window.js';
export { Z_LIMIT } from './history.js';
export { EntityState, type EntityLayout } from './state.js';
export { advanceEntities, continueEntityFeatures, entityFeatureNames, entityFeatures, entityLayout, entityTimes, layoutColumns, timeText, type EntityFeaturesResult } from './features.js';
export { entityStateFromJson, entityStateToJson, loadEntityState, saveEntityState, entityStateJsonSchema, type EntityStateJson } from './persist.js';
