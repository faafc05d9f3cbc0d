export { lineOf, readCsv, type RawTable } from './csv.js';
export { prepareDataset } from './prepare.js';
export type { PreparedDataset, SplitData, TargetScaler } from './prepared-dataset.js';
export { fitEncoders, encodeRow, encodedWidth, encodedNames, type ColumnEncoder, type EncoderOptions } from './encode.js';
export { splitRows, type SplitIndices } from './split.js';
export { fitStandardizer, applyStandardizer, type Standardizer } from './scaler.js';
export { loadDataset } from './cache.js';
export { qualityReport, type DataQualityReport, type ColumnReport } from './quality.js';
