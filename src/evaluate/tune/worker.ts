import { serve } from '../../core/worker-pool.js';
import { crossValidate, type SettingJob } from './cross-validate.js';

/** Runs settings' cross-validations sent by the pool, one at a time. */
serve<SettingJob, number[]>({ handle: crossValidate });
