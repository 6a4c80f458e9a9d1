import { parse } from 'csv-parse/sync';

/** PyOD benchmark column names mapped to our detector names, where we have the detector. */
const COLUMN_TO_DETECTOR: Record<string, string> = {
  HBOS: 'hbos',
  IForest: 'iforest',
  KNN: 'knn',
  LOF: 'lof',
  PCA: 'pca',
};

/** dataset -> detector -> published figure. */
export type PublishedTable = Map<string, Map<string, number>>;

/** Parses one of the PyOD benchmark tables (`Data,#Samples,...,IForest,KNN,...`). */
export function parsePublished(csvText: string): PublishedTable {
  const rows = parse(csvText, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const table: PublishedTable = new Map();
  for (const r of rows) {
    const name = r['Data'];
    if (!name) continue;
    const m = new Map<string, number>();
    for (const [col, det] of Object.entries(COLUMN_TO_DETECTOR)) {
      const v = Number(r[col]);
      if (r[col] !== undefined && Number.isFinite(v)) m.set(det, v);
    }
    table.set(name, m);
  }
  return table;
}
