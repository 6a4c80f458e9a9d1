import { z } from 'zod';

export const SCALERS = ['standard', 'robust', 'minmax', 'none'] as const;
export type Scaler = (typeof SCALERS)[number];

export const IMPUTERS = ['median', 'mean'] as const;
export type Imputer = (typeof IMPUTERS)[number];

/**
 * How feature columns become a matrix. Numeric columns are imputed (`impute`) then scaled
 * (`scaler`); categorical columns are imputed with their most frequent value and one-hot
 * encoded, keeping the `maxLevels` most frequent values and sending the rest, and values never
 * seen in training, to one extra `<other>` feature. Timestamp columns are not features.
 */
export const preprocessSpecSchema = z
  .object({
    scaler: z.enum(SCALERS).default('standard'),
    impute: z.enum(IMPUTERS).default('median'),
    maxLevels: z.number().int().min(1).max(100_000).default(50),
  })
  .strict();

/** What callers pass: every field optional. */
export type PreprocessSpec = z.input<typeof preprocessSpecSchema>;
/** After defaults: what a fitted preprocessor records. */
export type ResolvedPreprocessSpec = z.output<typeof preprocessSpecSchema>;
