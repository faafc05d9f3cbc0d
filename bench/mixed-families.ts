// Median stopping over two model families with different step counts: diabetes regression, a one-step ridge fit
// against MLPs of 40 epochs, the same 24 configurations (random sampler, one seed) under fifo, median (default
// warm-up) and median with Optuna's warmupSteps 0; and the median rule as it was before issue 12, replayed over
// fifo's per-epoch curves (exact with one trial at a time: a trial's curve does not depend on the scheduler).
// Reports each scheduler's best validation R², epochs trained and pruned trials per family, and what became under
// median of the MLPs that fifo ranks in its top 3.
// Run: npm run build && node dist/bench/mixed-families.js [--trials 24] [--seed 1] [--parallelism 1]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runStudy } from '../src/api/autotune.js';
import { rankCompleted } from '../src/core/rank.js';
import type { TrialRecord } from '../src/core/types.js';
import { median as medianOf } from '../src/maths/stats.js';
import { parseStudy } from '../src/space/index.js';
import { MemoryStorage } from '../src/storage/index.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
    parallelism: { type: 'string', default: '1' },
  },
});
const diabetes = fileURLToPath(new URL('../../datasets/diabetes.csv', import.meta.url));

interface Run {
  readonly trials: readonly TrialRecord[];
  /** val R² per epoch of each trial, by number. */
  readonly curves: ReadonlyMap<number, readonly number[]>;
  readonly seconds: number;
}

async function run(name: string, scheduler: unknown): Promise<Run> {
  const config = parseStudy({
    name: `mixed-families-${name}`,
    data: { source: diabetes, target: 'progression', task: 'regression' },
    objective: { metric: 'val_r2', direction: 'maximize' },
    search: {
      sampler: 'random',
      scheduler,
      trials: Number(values.trials),
      parallelism: Number(values.parallelism),
      seed: Number(values.seed),
    },
    training: { epochs: 40, keepArtifacts: 0 },
    space: {
      model: {
        choice: {
          ridge: { alpha: { float: [1e-3, 100], log: true } },
          mlp: { layers: { int: [1, 2] }, units: { int: [8, 64], log: true }, dropout: { float: [0, 0.3] } },
        },
      },
      learningRate: { float: [1e-3, 3e-2], log: true },
      batchSize: 32,
    },
  });
  const started = performance.now();
  const storage = new MemoryStorage();
  const result = await runStudy(config, { storage });
  const seconds = (performance.now() - started) / 1000;
  const { items: steps } = await storage.listStepsSince(result.study.id, 0);
  const curves = new Map(
    result.trials.map((t) => [
      t.number,
      steps
        .filter((s) => s.trialId === t.id)
        .sort((a, b) => a.step - b.step)
        .map((s) => s.metrics.val_r2 as number),
    ]),
  );
  await storage.close();
  return { trials: result.trials, curves, seconds };
}

/**
 * The median rule before issue 12, over fifo's curves: pruning opens once 5 trials of any kind are complete, and a
 * trial is stopped when its best so far is below the median of every complete trial's value at that step.
 */
function replayFormerMedian(fifoRun: Run): Run {
  const complete: number[] = [];
  const trials = fifoRun.trials.map((t): TrialRecord => {
    const curve = fifoRun.curves.get(t.number) ?? [];
    for (let step = 1; step <= curve.length && complete.length >= 5; step++) {
      const others = complete.map((n) => fifoRun.curves.get(n)?.[step - 1]).filter((v): v is number => v !== undefined);
      const best = Math.max(...curve.slice(0, step));
      if (others.length > 0 && medianOf(others) > best) return { ...t, state: 'pruned', lastStep: step, values: [best] };
    }
    complete.push(t.number);
    return t;
  });
  return { trials, curves: fifoRun.curves, seconds: Number.NaN };
}

const family = (t: TrialRecord) => String(t.params.model);
const r2 = (t: TrialRecord | undefined) => (t?.values?.[0] === undefined ? '—' : t.values[0].toFixed(4));

const fifo = await run('fifo', 'fifo');
const median = await run('median', { type: 'median' });
const optunaWarmup = await run('median-warmup-0', { type: 'median', warmupSteps: 0 });
const former = replayFormerMedian(fifo);
const topMlps = rankCompleted(fifo.trials, 'maximize')
  .filter((t) => family(t) === 'mlp')
  .slice(0, 3);

console.log('| scheduler | best val R² | best trial | epochs trained | pruned ridge | pruned MLP | wall time |');
console.log('|---|---|---|---|---|---|---|');
const runs = [
  ['fifo', fifo],
  ['median', median],
  ['median, warmupSteps 0', optunaWarmup],
  ['median before issue 12 (replayed)', former],
] as const;
for (const [name, { trials, seconds }] of runs) {
  const best = rankCompleted(trials, 'maximize')[0];
  const pruned = (f: string) => trials.filter((t) => t.state === 'pruned' && family(t) === f).length;
  const epochs = trials.reduce((s, t) => s + (t.lastStep ?? 0), 0);
  console.log(
    `| ${name} | ${r2(best)} | #${best?.number} ${best ? family(best) : ''} | ${epochs} | ${pruned('ridge')} | ${pruned('mlp')} | ${Number.isNaN(seconds) ? '—' : `${seconds.toFixed(0)} s`} |`,
  );
}
console.log('\n| fifo rank among MLPs | trial | val R² under fifo | under median | under median, warmupSteps 0 | before issue 12 |');
console.log('|---|---|---|---|---|---|');
const fate = (trials: readonly TrialRecord[], n: number) => {
  const same = trials.find((m) => m.number === n);
  return same ? `${same.state} at epoch ${same.lastStep}, ${r2(same)}` : '—';
};
topMlps.forEach((t, i) => {
  console.log(
    `| ${i + 1} | #${t.number} | ${r2(t)} | ${fate(median.trials, t.number)} | ${fate(optunaWarmup.trials, t.number)} | ${fate(former.trials, t.number)} |`,
  );
});
