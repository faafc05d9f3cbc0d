// One worker process of bench/postgres-scaling.ts: joins the study on the PostgreSQL URL it is given and runs its
// trials (a sleeping objective: waiting, no CPU) until the study's budget is spent. It says `ready` once loaded and
// connected and starts on `go`, so that every process starts together and start-up cost stays out of the window;
// at the end it sends the ids of the trials it ran, which tells the coordinator each process's first and last.
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { autotune } from '../src/api/autotune.js';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, study: { type: 'string' }, trials: { type: 'string' }, 'sleep-ms': { type: 'string' } },
});
const sleepMs = Number(values['sleep-ms']);
const storage = await PostgresStorage.open(values.url as string);
const go = once(process, 'message');
process.send?.('ready');
await go;
const ran: number[] = [];
try {
  await autotune({
    name: values.study as string,
    space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
    objective: async ({ x, y }: { x: number; y: number }) => {
      await sleep(sleepMs);
      return x * x + y;
    },
    trials: Number(values.trials),
    sampler: 'random',
    seed: 1,
    storage,
    on: { trialStart: ({ trial }) => void ran.push(trial.id) },
  });
} finally {
  await storage.close();
}
process.send?.({ ran }, () => process.exit(0));
