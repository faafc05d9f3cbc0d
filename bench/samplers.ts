// Sampler quality on black-box problems: median and IQR of simple regret after 25 / 50 / 100 trials over seeds,
// measured the way shared/reference/optuna.md measured Optuna 3.1.
// Run: npm run build && node dist/bench/samplers.js [--samplers random,qmc,tpe,tpe-mv,gp] [--problems branin,...]
//      [--seeds 10] [--trials 100] [--json out.json] [--pruned best,last [--eta 3] [--steps 27]]
// `--pruned` runs each problem as a learning curve of `--steps` reports under ASHA with `--eta` (curve.ts), once
// per rule for the value a pruned trial is stored with, and so ranked by in TPE's split: `best` (its best report,
// what a trained model stores) or `last` (its last report, Optuna's rule).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Study } from '../src/controller/study.js';
import { quantile } from '../src/maths/stats.js';
import { parseStudy } from '../src/space/index.js';
import { MemoryStorage } from '../src/storage/index.js';
import { curveScheduler, runCurve, type PrunedValue } from './curve.js';
import { BENCH_SAMPLERS, PROBLEMS, type Problem } from './problems.js';

const SAMPLERS: Record<string, unknown> = { ...BENCH_SAMPLERS };

const { values } = parseArgs({
  options: {
    samplers: { type: 'string', default: Object.keys(SAMPLERS).join(',') },
    problems: { type: 'string', default: PROBLEMS.map((p) => p.name).join(',') },
    seeds: { type: 'string', default: '10' },
    trials: { type: 'string', default: '100' },
    json: { type: 'string' },
    // Extra configurations to compare, as name=JSON, e.g. --variant 'tpe-c48={"type":"tpe","candidates":48}'
    variant: { type: 'string', multiple: true, default: [] },
    pruned: { type: 'string' },
    eta: { type: 'string', default: '3' },
    steps: { type: 'string', default: '27' },
  },
});
const prunedRules = (values.pruned?.split(',') ?? []) as PrunedValue[];
if (prunedRules.some((rule) => rule !== 'best' && rule !== 'last')) {
  console.error(`--pruned: expected best, last or best,last (got "${values.pruned}")`);
  process.exit(2);
}
for (const spec of values.variant) {
  const at = spec.indexOf('=');
  SAMPLERS[spec.slice(0, at)] = JSON.parse(spec.slice(at + 1));
}
const seeds = Number(values.seeds);
const trials = Number(values.trials);
const checkpoints = [25, 50, 100].filter((c) => c <= trials);

/** Regret of the best value found after each trial. */
async function run(problem: Problem, sampler: unknown, seed: number, pruned?: PrunedValue): Promise<{ curve: number[]; seconds: number }> {
  const scheduler = pruned ? curveScheduler(Number(values.eta), Number(values.steps)) : 'fifo';
  const config = parseStudy(
    {
      name: `${problem.name}-${seed}`,
      objective: { direction: 'minimize' },
      space: problem.space,
      search: { sampler, scheduler, seed, trials },
    },
    undefined,
    { inlineObjective: true },
  );
  const study = await Study.open(new MemoryStorage(), config);
  if (pruned) return runCurve(study, problem, seed, trials, pruned, Number(values.steps));
  const curve: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  const started = performance.now();
  for (let i = 0; i < trials; i++) {
    const asked = await study.ask();
    if (!asked) break;
    const value = problem.f(asked.trial.params as Record<string, number>);
    await study.tell(asked.trial, value);
    best = Math.min(best, value);
    curve.push(best - problem.optimum);
  }
  return { curve, seconds: (performance.now() - started) / 1000 };
}

const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 0.1 ? v.toPrecision(3) : v.toExponential(2));
const results: Record<string, Record<string, { final: number[]; at: Record<number, number[]>; seconds: number }>> = {};
const problems = PROBLEMS.filter((p) => values.problems.split(',').includes(p.name));
const samplerNames = values.samplers
  .split(',')
  .flatMap((name) => (prunedRules.length ? prunedRules.map((rule) => `${name}/${rule}`) : [name]));

console.log(`| problem | sampler | median final regret [IQR] | median regret after ${checkpoints.join(' / ')} | seconds per run |`);
console.log('|---|---|---|---|---|');
for (const problem of problems) {
  results[problem.name] = {};
  for (const name of samplerNames) {
    const runs: { curve: number[]; seconds: number }[] = [];
    const [sampler, rule] = name.split('/') as [string, PrunedValue | undefined];
    for (let seed = 0; seed < seeds; seed++) runs.push(await run(problem, SAMPLERS[sampler], seed, rule));
    const final = runs.map((r) => r.curve.at(-1) as number);
    const at = Object.fromEntries(checkpoints.map((c) => [c, runs.map((r) => r.curve[c - 1] as number)]));
    const seconds = runs.reduce((s, r) => s + r.seconds, 0) / runs.length;
    results[problem.name]![name] = { final, at, seconds };
    console.log(
      `| ${problem.name} | ${name} | ${fmt(quantile(final, 0.5))} [${fmt(quantile(final, 0.25))}..${fmt(quantile(final, 0.75))}] | ` +
        `${checkpoints.map((c) => fmt(quantile(at[c] as number[], 0.5))).join(' / ')} | ${seconds.toFixed(2)} |`,
    );
  }
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
