/**
 * NAB's probationary period (numenta/NAB nab/util.py getProbationPeriod): the first 15% of each
 * file, at most 750 rows (15% of 5000), is for the detector to learn; detections there are
 * ignored. Rows with index < the returned length are probationary.
 */
export const NAB_PROBATION_PERCENT = 0.15;

export function probationLength(rows: number, percent = NAB_PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}
