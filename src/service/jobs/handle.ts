/** What the dataset, job and model routes need beyond storage: the data dir, the model files, the job queue. */
import type { ModelLibrary } from './model-library.js';
import type { JobRunner } from './runner.js';

export interface JobsHandle {
  dataDir: string;
  models: ModelLibrary;
  runner: JobRunner;
  /** Largest dataset upload in bytes. */
  datasetLimit: number;
}
