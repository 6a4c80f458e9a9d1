/** Turning frames into detector-ready matrices; fitted state is plain JSON. */
export { Preprocessor, preprocessorStateSchema, type PreprocessorState } from './preprocessor.js';
export {
  IMPUTERS,
  SCALERS,
  preprocessSpecSchema,
  type Imputer,
  type PreprocessSpec,
  type ResolvedPreprocessSpec,
  type Scaler,
} from './spec.js';
export { categoryFill, numericFill, rankByFrequency } from './impute.js';
export { applyScale, fitScale, type ScaleParams } from './scale.js';
export { OTHER, fitLevels, levelFeatureNames } from './onehot.js';
export { constantColumns } from '../data/constant.js';
