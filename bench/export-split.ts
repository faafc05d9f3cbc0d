// Writes the train/validation/test row indices autotune's seeded split gives a dataset, so another tool (scikit-learn,
// bench/sklearn/text_baseline.py) can be compared on exactly the same rows.
// Run: npm run build && node dist/bench/export-split.js datasets/austen_passages.jsonl label 3 > /tmp/split.json
import { Rng } from '../src/core/rng.js';
import { readTable } from '../src/data/read.js';
import { splitRows } from '../src/data/split.js';

const [file, target, seed] = process.argv.slice(2);
if (!file || !target || !seed) throw new Error('usage: export-split.js <dataset> <target column> <study seed>');
const table = readTable(file);
const column = table.columns.indexOf(target);
const labels = [...new Set(table.rows.map((r) => r[column] as string))].sort();
// As prepareDataset: stratified on sorted label indices, drawn from the study seed's `split` stream.
const split = splitRows(
  table.rows.length,
  { validation: 0.15, test: 0.15 },
  new Rng(Number(seed)).fork('split'),
  table.rows.map((r) => labels.indexOf(r[column] as string)),
);
process.stdout.write(JSON.stringify(split));
