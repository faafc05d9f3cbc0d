// Sampler cost as history grows: mean ask + tell time over the 20 trials ending at N = 100, 500 and 1000, on a
// 6-dimensional continuous space with a trivial objective and in-memory storage (the setting of the Optuna
// figures in shared/reference/optuna.md).
// Run: npm run build && node dist/bench/sampler-cost.js [--samplers random,qmc,tpe,tpe-mv,gp] [--trials 1000]
import { parseArgs } from 'node:util';
import { Study } from '../src/controller/study.js';
import { median } from '../src/maths/stats.js';
import { parseStudy } from '../src/space/index.js';
import { MemoryStorage } from '../src/storage/index.js';
import { BENCH_SAMPLERS } from './problems.js';

const SAMPLERS: Record<string, unknown> = { ...BENCH_SAMPLERS };
const { values } = parseArgs({
  options: { samplers: { type: 'string', default: Object.keys(SAMPLERS).join(',') }, trials: { type: 'string', default: '1000' } },
});
const total = Number(values.trials);
const checkpoints = [100, 500, 1000].filter((n) => n <= total);
const space = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { float: [-5, 5] as [number, number] }]));

console.log(`| sampler | ${checkpoints.map((n) => `N = ${n}`).join(' | ')} | ${total} trials in total |`);
console.log(`|---|${checkpoints.map(() => '---|').join('')}---|`);
for (const name of values.samplers.split(',')) {
  const config = parseStudy(
    { name: `cost-${name}`, objective: { direction: 'minimize' }, space, search: { sampler: SAMPLERS[name], seed: 1, trials: total } },
    undefined,
    { inlineObjective: true },
  );
  const study = await Study.open(new MemoryStorage(), config);
  const durations: number[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const t0 = performance.now();
    const asked = await study.ask();
    if (!asked) break;
    const p = asked.params as Record<string, number>;
    await study.tell(
      asked.trial,
      Object.values(p).reduce((s, v) => s + v * v, 0),
    );
    durations.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  // Mean over the 20 trials ending at N, as the Optuna figures; the median beside it shows GC pauses apart.
  const window = (n: number) => durations.slice(n - 20, n);
  const cell = (n: number) => `${(window(n).reduce((s, v) => s + v, 0) / 20).toFixed(2)} ms (median ${median(window(n)).toFixed(2)})`;
  console.log(`| ${name} | ${checkpoints.map(cell).join(' | ')} | ${seconds.toFixed(1)} s |`);
}
