export { readCsv, type RawTable } from './csv.js';
export { prepareDataset, type PreparedDataset, type SplitData } from './prepare.js';
export { splitRows, type SplitIndices } from './split.js';
export { fitStandardizer, applyStandardizer, type Standardizer } from './scaler.js';
export { loadDataset } from './cache.js';
