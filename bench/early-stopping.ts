// Early stopping on a real learning task: the digits study of shared/reference/optuna.md (MLP, TPE, 40 trials of
// at most 27 epochs, 3 seeds) with each scheduler. Reports, as medians over seeds: the best validation accuracy,
// the test accuracy of that trial, total epochs trained, pruned trials and wall time.
// Run: npm run build && node dist/bench/early-stopping.js [--seeds 3] [--trials 40] [--schedulers fifo,median,asha,hyperband] [--eta 3]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runStudy } from '../src/api/autotune.js';
import { median } from '../src/maths/stats.js';
import { parseStudy } from '../src/space/index.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    trials: { type: 'string', default: '40' },
    schedulers: { type: 'string', default: 'fifo,median,asha,hyperband' },
    parallelism: { type: 'string', default: '2' },
    eta: { type: 'string', default: '3' },
  },
});
const eta = Number(values.eta);
const SCHEDULERS: Record<string, unknown> = {
  fifo: 'fifo',
  median: { type: 'median', startupTrials: 5, warmupSteps: 0 },
  asha: { type: 'asha', minEpochs: 1, maxEpochs: 27, eta },
  hyperband: { type: 'hyperband', minEpochs: 1, maxEpochs: 27, eta },
};
const digits = fileURLToPath(new URL('../../datasets/digits.csv', import.meta.url));

interface Row {
  bestVal: number;
  test: number;
  epochs: number;
  pruned: number;
  seconds: number;
}

async function run(scheduler: string, seed: number): Promise<Row> {
  const config = parseStudy({
    name: `digits-${scheduler}-${seed}`,
    data: { source: digits, target: 'label', task: 'classification' },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    search: {
      sampler: 'tpe',
      scheduler: SCHEDULERS[scheduler],
      trials: Number(values.trials),
      parallelism: Number(values.parallelism),
      seed,
    },
    training: { epochs: 27 },
    space: {
      learningRate: { float: [1e-4, 1e-1], log: true },
      units: { int: [16, 256], log: true },
      layers: { int: [1, 3] },
      batchSize: { choice: [16, 32, 64, 128, 256] },
      l2: { float: [1e-6, 1e-2], log: true },
      optimizer: 'adam',
    },
  });
  const started = performance.now();
  const result = await runStudy(config, { storage: ':memory:' });
  return {
    bestVal: result.best.value,
    test: result.best.metrics.test_accuracy as number,
    epochs: result.trials.reduce((s, t) => s + (t.lastStep ?? 0), 0),
    pruned: result.trials.filter((t) => t.state === 'pruned').length,
    seconds: (performance.now() - started) / 1000,
  };
}

const names = values.schedulers.split(',');
const rows: Record<string, Row[]> = {};
for (const name of names) {
  rows[name] = [];
  for (let seed = 0; seed < Number(values.seeds); seed++) {
    const row = await run(name, seed);
    rows[name]!.push(row);
    console.error(`${name} seed ${seed}: ${JSON.stringify(row)}`);
  }
}
const fifoEpochs = rows.fifo ? median(rows.fifo.map((r) => r.epochs)) : Number.NaN;
console.log(
  '| scheduler | best validation accuracy | test accuracy of that trial | epochs trained | epochs vs fifo | pruned trials | wall time |',
);
console.log('|---|---|---|---|---|---|---|');
for (const name of names) {
  const r = rows[name]!;
  const m = (f: (x: Row) => number) => median(r.map(f));
  console.log(
    `| ${name} | ${m((x) => x.bestVal).toFixed(4)} | ${m((x) => x.test).toFixed(4)} | ${m((x) => x.epochs)} | ` +
      `${(m((x) => x.epochs) / fifoEpochs).toFixed(2)}× | ${m((x) => x.pruned)} | ${m((x) => x.seconds).toFixed(0)} s |`,
  );
}
