// How long another writer waits while a controller samples: one thread asks for trials with a sampler that takes
// `--sample-ms` per suggestion (a GP's ~38 ms at 500 trials), another reports steps of its own trial to the same
// storage meanwhile (a write that takes SQLite's write lock, PostgreSQL's change counter lock) and times each one.
// A sampler run inside the storage write transaction holds every such write for its duration.
// Run: npm run build && node dist/bench/sampler-lock.js [--trials 40] [--sample-ms 40] [--storage postgres://…]
// (default: a temporary SQLite file; a PostgreSQL database is used as given, its studies left in place).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Study } from '../src/controller/study.js';
import { RandomSampler } from '../src/samplers/random.js';
import type { Sampler } from '../src/samplers/sampler.js';
import { parseStudy } from '../src/space/index.js';
import { openStorage } from '../src/storage/index.js';

interface WriterInput {
  readonly url: string;
  readonly studyId: number;
  readonly stop: Int32Array;
}

/** Reports steps of a trial of its own as often as it can until told to stop; returns each write's milliseconds. */
async function writeUntilStopped({ url, studyId, stop }: WriterInput): Promise<number[]> {
  const storage = await openStorage(url);
  const trial = await storage.createTrial(studyId, { state: 'running', params: { x: 0 }, distributions: {}, seed: 0 });
  const latencies: number[] = [];
  for (let step = 1; Atomics.load(stop, 0) === 0; step++) {
    const started = performance.now();
    await storage.recordStep(trial.id, step, { value: step });
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await storage.finishTrial(trial.id, { state: 'complete', values: [0] });
  await storage.close();
  return latencies;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

if (isMainThread) {
  const { values } = parseArgs({
    options: { trials: { type: 'string', default: '40' }, 'sample-ms': { type: 'string', default: '40' }, storage: { type: 'string' } },
  });
  const trials = Number(values.trials);
  const sampleMs = Number(values['sample-ms']);
  const random = new RandomSampler();
  const slow: Sampler = {
    name: 'slow',
    suggest(ctx) {
      // Busy, as a model fit is: the thread does nothing else meanwhile.
      const until = performance.now() + sampleMs;
      while (performance.now() < until);
      return random.suggest(ctx);
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'autotune-lock-'));
  try {
    const url = values.storage ?? join(dir, 'lock.db');
    const storage = await openStorage(url);
    const config = parseStudy(
      {
        name: `lock-${Date.now()}`,
        objective: { direction: 'minimize' },
        space: { x: { float: [-5, 5] } },
        search: { sampler: 'random', seed: 1, trials },
      },
      undefined,
      { inlineObjective: true },
    );
    const study = await Study.open(storage, config, { sampler: slow });
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const writer = new Worker(new URL(import.meta.url), { workerData: { url, studyId: study.id, stop } satisfies WriterInput });
    const latencies = new Promise<number[]>((resolve, reject) => writer.once('message', resolve).once('error', reject));
    for (let i = 0; i < trials; i++) {
      const asked = await study.ask();
      if (!asked) break;
      await study.tell(asked.trial, (asked.params.x as number) ** 2);
    }
    Atomics.store(stop, 0, 1);
    const sorted = (await latencies).sort((a, b) => a - b);
    await storage.close();
    console.log(
      `${storage.url}: another thread's step reports while ${trials} trials were sampled at ${sampleMs} ms each (${sorted.length} reports):`,
    );
    console.log(
      `  p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p99 ${quantile(sorted, 0.99).toFixed(2)} ms, max ${(sorted.at(-1) ?? 0).toFixed(2)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  parentPort?.postMessage(await writeUntilStopped(workerData as WriterInput));
}
