/** Reports: the data of a model's report on a set of rows (the HTML page is drawn by `vigil report`). */
export { buildReport, SERIES_COLUMNS, type Comparison, type ModelSummary, type ReportData, type ReportInput, type SeriesChart, type SeriesInput, type TopRow } from './report.js';
export { modelSummary, reportFromModel, type ReportOptions } from './from-model.js';
export { CURVE_POINTS, prCurve, rocCurve, scoreHistogram, type Curve, type Histogram } from './curves.js';
