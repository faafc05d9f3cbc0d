// Controller overhead per trial: 2,000 trials of a trivial objective (two floats, random sampler) through the full
// controller (sampler + storage + dispatch + events). Same job as Optuna's figure in shared/reference/optuna.md.
// Run: npm run build && node dist/bench/controller-overhead.js [--trials 2000] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { autotune } from '../src/index.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } } });
const trials = Number(values.trials);
const runs = Number(values.runs);

// In the pool the objective is a module: functions cannot cross threads. dist/bench → bench/objectives.
const trivialModule = fileURLToPath(new URL('../../bench/objectives/trivial.mjs', import.meta.url));

async function perTrialMs(storage: string, where: 'inline' | 'pool' = 'inline'): Promise<number> {
  const started = performance.now();
  const result = await autotune({
    space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
    objective: where === 'inline' ? ({ x, y }) => x * x + y : trivialModule,
    trials,
    seed: 1,
    storage,
    ...(where === 'pool' ? { parallelism: 2 } : {}),
  });
  if (result.trials.length !== trials) throw new Error(`expected ${trials} trials, got ${result.trials.length}`);
  return (performance.now() - started) / trials;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = mkdtempSync(join(tmpdir(), 'autotune-bench-'));
try {
  await perTrialMs(':memory:'); // warm up the JIT so the first measured run is not penalised
  const sqlite: number[] = [];
  const memory: number[] = [];
  const pool: number[] = [];
  for (let run = 0; run < runs; run++) {
    sqlite.push(await perTrialMs(join(dir, `run-${run}.db`)));
    memory.push(await perTrialMs(':memory:'));
    pool.push(await perTrialMs(join(dir, `pool-${run}.db`), 'pool'));
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(3)} ms/trial (runs: ${xs.map((x) => x.toFixed(3)).join(', ')})`;
  console.log(`controller overhead, ${trials} trials × ${runs} runs`);
  console.log(`  SQLite (file, WAL): ${fmt(sqlite)}`);
  console.log(`  in-memory:          ${fmt(memory)}`);
  console.log(`  SQLite + piscina pool (2 threads, module objective, includes pool start): ${fmt(pool)}`);
  console.log(`  Optuna 3.1 on the same job: 29.3 ms/trial (SQLite), 0.25 ms/trial (in-memory)`);
  console.log(`  ratio Optuna/autotune with SQLite: ${(29.3 / median(sqlite)).toFixed(0)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
