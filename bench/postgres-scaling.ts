// Scaling on one PostgreSQL study (issue 13): 1 / 2 / 4 / 8 / 16 worker processes (OS processes, each one
// `autotune()` with parallelism 1) run a sleeping objective (100 ms, no CPU) on one study; trials per second
// against linear (N × the one-process rate). Start-up is left out twice over: every process loads and connects,
// then all start at once on a signal, and throughput is counted in the steady window only — from the last
// process's first trial start to the first process's last trial end, by the trials' times in storage (the
// database's clock, one for all processes).
// Run: npm run build && node dist/bench/postgres-scaling.js [--processes 1,2,4,8,16] [--seconds 8] [--sleep-ms 100]
//        [--no-commit-wait]
// (npm run bench:postgres:scaling); an embedded server is started, or AUTOTUNE_BENCH_POSTGRES_URL is used.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TrialRecord } from '../src/core/types.js';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage.js';
import { load1, machineLine, median } from './machine.js';
import { withBenchServer, withoutCommitWait } from './postgres-server.js';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '1,2,4,8,16' },
    // Length of each run: the budget is what N processes finish in this long at the ideal rate.
    seconds: { type: 'string', default: '8' },
    'sleep-ms': { type: 'string', default: '100' },
    // PostgreSQL commits without waiting for the disk (see withoutCommitWait).
    'no-commit-wait': { type: 'boolean', default: false },
  },
});
const counts = (values.processes as string).split(',').map(Number);
const seconds = Number(values.seconds);
const sleepMs = Number(values['sleep-ms']);
const STUDY = 'scaling';
const worker = fileURLToPath(new URL('./scaling-worker.js', import.meta.url));

interface Run {
  readonly processes: number;
  readonly budget: number;
  readonly finished: number;
  /** Trials per second finished in the steady window, and its length. */
  readonly rate: number;
  readonly windowS: number;
  /** Median time from a process's trial ending to its next trial starting: ask + tell and the loop around them. */
  readonly gapMs: number;
  readonly meanGapMs: number;
  /** Mean time from a trial's start to its end in storage: the sleep, plus timers firing late on busy cores. */
  readonly trialMs: number;
  readonly startSpreadMs: number;
}

/** Runs `n` worker processes on a fresh study and returns the ids each ran. */
async function runWorkers(url: string, n: number, budget: number): Promise<number[][]> {
  const args = ['--url', url, '--study', STUDY, '--trials', String(budget), '--sleep-ms', String(sleepMs)];
  const children: ChildProcess[] = Array.from({ length: n }, () => fork(worker, args, { stdio: 'inherit' }));
  try {
    const failed = (child: ChildProcess) =>
      once(child, 'exit').then(([code]) => Promise.reject(new Error(`a worker process exited with ${code} before reporting`)));
    const message = (child: ChildProcess) => Promise.race([once(child, 'message').then(([m]) => m as unknown), failed(child)]);
    await Promise.all(children.map(message));
    const reports = children.map(message);
    for (const child of children) child.send('go');
    return ((await Promise.all(reports)) as { ran: number[] }[]).map((r) => r.ran);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function measure(n: number, budget: number, trials: readonly TrialRecord[], ran: readonly number[][]): Run {
  const byId = new Map(trials.map((t) => [t.id, t]));
  const perProcess = ran.map((ids) => ids.map((id) => byId.get(id) as TrialRecord).sort((a, b) => a.number - b.number));
  const firsts = perProcess.map((ts) => Math.min(...ts.map((t) => t.startedAt as number)));
  const lasts = perProcess.map((ts) => Math.max(...ts.map((t) => t.finishedAt as number)));
  const from = Math.max(...firsts);
  const to = Math.min(...lasts);
  const inWindow = trials.filter((t) => (t.finishedAt as number) > from && (t.finishedAt as number) <= to).length;
  const gaps = perProcess.flatMap((ts) =>
    ts.slice(1).map((t, i) => (t.startedAt as number) - ((ts[i] as TrialRecord).finishedAt as number)),
  );
  return {
    processes: n,
    budget,
    finished: trials.filter((t) => t.state === 'complete').length,
    rate: (inWindow / (to - from)) * 1000,
    windowS: (to - from) / 1000,
    gapMs: median(gaps),
    meanGapMs: mean(gaps),
    trialMs: mean(trials.map((t) => (t.finishedAt as number) - (t.startedAt as number))),
    startSpreadMs: from - Math.min(...firsts),
  };
}

const loadAtStart = load1();
await withBenchServer(async (server) => {
  const runs: Run[] = [];
  for (const n of counts) {
    const url = values['no-commit-wait'] ? withoutCommitWait(await server.database()) : await server.database();
    const budget = Math.round(n * (1000 / sleepMs) * seconds);
    const ran = await runWorkers(url, n, budget);
    const storage = await PostgresStorage.open(url);
    try {
      const study = await storage.findStudy(STUDY);
      if (!study) throw new Error('the workers created no study');
      const trials = await storage.listTrials(study.id);
      const numbers = trials.map((t) => t.number);
      if (trials.length !== budget || new Set(numbers).size !== budget || Math.max(...numbers) !== budget - 1) {
        throw new Error(`${n} processes: expected ${budget} trials numbered 0..${budget - 1}, got ${trials.length}`);
      }
      const run = measure(n, budget, trials, ran);
      runs.push(run);
      console.log(`${n} processes: ${run.rate.toFixed(1)} trials/s over a ${run.windowS.toFixed(1)} s window`);
    } finally {
      await storage.close();
    }
  }
  const one = runs.find((r) => r.processes === 1)?.rate ?? 1000 / sleepMs;
  console.log(`\nScaling, sleeping objective (${sleepMs} ms), random sampler, one study, one process per worker; steady window only:\n`);
  console.log(
    '| processes | trials (all complete) | steady window | trials/s | linear (N × 1 process) | ratio | ideal (N × 1000 / sleep) | ' +
      "gap between a process's trials, median / mean | trial start to end, mean | start spread |",
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const linear = r.processes * one;
    console.log(
      `| ${r.processes} | ${r.finished} | ${r.windowS.toFixed(1)} s | **${r.rate.toFixed(1)}** | ${linear.toFixed(1)} | **${(r.rate / linear).toFixed(2)}×** | ` +
        `${(r.processes * (1000 / sleepMs)).toFixed(0)} | ${r.gapMs.toFixed(1)} / ${r.meanGapMs.toFixed(1)} ms | ${r.trialMs.toFixed(1)} ms | ${r.startSpreadMs} ms |`,
    );
  }
  const wait = values['no-commit-wait'] ? ', commits not waiting for the disk (synchronous_commit=off)' : '';
  console.log(`\nServer: ${server.description}${wait}. ${machineLine(loadAtStart)}.`);
});
