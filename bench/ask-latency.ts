// Ask latency against history on one PostgreSQL study (issue 13): a study pre-filled with finished trials by direct
// storage writes (as other processes would have left them), then `Study.ask` timed (each followed by its tell) at
// 1,000 and at 10,000 trials of history, random sampler and TPE. The change feed makes each ask read only what
// changed since the last one, so that part of an ask should stay flat; the other parts are timed apart: the claim,
// the reservation and start round trips, and this process's own work (sampling and the duplicate check, which grow
// with the history by design: TPE has one kernel per trial, the check one key per trial; outside every storage
// transaction since the number is reserved first). For contrast: a full read of the study
// (`listTrials`) and opening the study (which reads everything once).
// Run: npm run build && node dist/bench/ask-latency.js [--history 1000,10000] [--asks 200] [--tpe-asks 100]
//        [--no-commit-wait]
// (npm run bench:postgres:ask); an embedded server is started, or AUTOTUNE_BENCH_POSTGRES_URL is used.
import { parseArgs } from 'node:util';
import { toStudyInput } from '../src/api/options.js';
import { validateStudy } from '../src/api/validate-study.js';
import { Study } from '../src/controller/study.js';
import { Rng } from '../src/core/rng.js';
import type { TrialRecord } from '../src/core/types.js';
import type { StudyConfig } from '../src/space/schema.js';
import { PostgresStorage } from '../src/storage/postgres/postgres-storage.js';
import type { Storage } from '../src/storage/storage.js';
import { load1, machineLine, median, quantile } from './machine.js';
import { withBenchServer, withoutCommitWait } from './postgres-server.js';

const { values } = parseArgs({
  options: {
    history: { type: 'string', default: '1000,10000' },
    asks: { type: 'string', default: '200' },
    'tpe-asks': { type: 'string', default: '100' },
    // PostgreSQL commits without waiting for the disk (see withoutCommitWait).
    'no-commit-wait': { type: 'boolean', default: false },
  },
});
const histories = (values.history as string).split(',').map(Number);
const ASKS = { random: Number(values.asks), tpe: Number(values['tpe-asks']) } as const;
type SamplerName = keyof typeof ASKS;
const objective = ({ x, y }: { x: number; y: number }) => x * x + y;

function studyConfig(sampler: SamplerName): StudyConfig {
  return validateStudy(
    toStudyInput({
      name: 'history',
      space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
      objective,
      trials: 100_000,
      sampler,
      seed: 1,
    }),
    { inlineObjective: true },
  ).config;
}

/** Writes finished trials until the study has `total`, from several lanes at once (as several workers would). */
async function fill(storage: Storage, studyId: number, like: TrialRecord, total: number): Promise<void> {
  const rng = new Rng(7);
  let remaining = total - (await storage.countTrials(studyId));
  const lane = async () => {
    while (remaining-- > 0) {
      const params = { x: -5 + 15 * rng.float(), y: 15 * rng.float() };
      const trial = await storage.createTrial(studyId, { state: 'running', params, distributions: like.distributions, seed: 0 });
      await storage.finishTrial(trial.id, { state: 'complete', values: [objective(params)] });
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
}

/** Milliseconds of one ask spent in storage, by part; the rest of an ask is this process's own work. */
interface AskParts {
  /** The change-feed reads of the sync (steps, then trials). */
  feed: number;
  /** The claim of a waiting retry (none here: one statement that finds nothing). */
  claim: number;
  /** The number's reservation and the start that stores the sampled parameters: round trips and commits. */
  create: number;
}

interface Timing {
  readonly ask: number[];
  readonly parts: AskParts[];
  readonly openMs: number;
}

const FEED = new Set(['listStepsSince', 'listTrialsChangedSince']);
const CREATE = new Set(['reserveTrial', 'startTrial', 'withdrawTrial']);

/** `storage` with the time of each call added to `parts()`'s current entry: feed, claim, reservation and start. */
function timedStorage(storage: Storage, parts: () => AskParts): Storage {
  return new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const ms = performance.now() - started;
          const p = parts();
          if (FEED.has(key)) p.feed += ms;
          else if (key === 'claimWaitingTrial') p.claim += ms;
          else if (CREATE.has(key)) p.create += ms;
        }
      };
    },
  });
}

/** Opens the study with `sampler` and times `asks` asks, each told at once, with the parts of each. */
async function timeAsks(raw: Storage, sampler: SamplerName): Promise<Timing> {
  let current: AskParts = { feed: 0, claim: 0, create: 0 };
  const storage = timedStorage(raw, () => current);
  const opening = performance.now();
  const study = await Study.open(storage, studyConfig(sampler));
  const openMs = performance.now() - opening;
  const ask: number[] = [];
  const parts: AskParts[] = [];
  for (let i = 0; i < ASKS[sampler]; i++) {
    current = { feed: 0, claim: 0, create: 0 };
    const started = performance.now();
    const asked = await study.ask();
    ask.push(performance.now() - started);
    parts.push(current);
    if (!asked) throw new Error('ask returned nothing');
    await study.tell(asked.trial, objective(asked.params as { x: number; y: number }));
  }
  return { ask, parts, openMs };
}

const loadAtStart = load1();
await withBenchServer(async (server) => {
  const url = await server.database();
  const storage = await PostgresStorage.open(values['no-commit-wait'] ? withoutCommitWait(url) : url);
  // The history is written without waiting for the disk: it is not what is measured, and it is most of the run.
  const writer = await PostgresStorage.open(withoutCommitWait(url));
  const lines: string[] = [];
  try {
    const first = await Study.open(storage, studyConfig('random'));
    const seed = await first.ask();
    if (!seed) throw new Error('no first trial');
    await first.tell(seed.trial, 0);
    for (const history of histories) {
      const filling = performance.now();
      await fill(writer, first.id, seed.trial, history);
      console.log(`filled to ${history} trials in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
      const reading = performance.now();
      const all = await storage.listTrials(first.id);
      const fullReadMs = performance.now() - reading;
      for (const sampler of ['random', 'tpe'] as const) {
        const t = await timeAsks(storage, sampler);
        const f = (xs: number[], q: number) => quantile(xs, q).toFixed(2);
        const part = (k: keyof AskParts) => t.parts.map((p) => p[k]);
        const rest = t.ask.map((ms, i) => ms - Object.values(t.parts[i] as AskParts).reduce((a, b) => a + b, 0));
        lines.push(
          `| ${all.length.toLocaleString('en')} | ${sampler} | ${t.ask.length} | **${f(t.ask, 0.5)}** / ${f(t.ask, 0.99)} ms | ` +
            `**${f(part('feed'), 0.5)}** / ${f(part('feed'), 0.99)} ms | ${f(part('claim'), 0.5)} ms | ${f(part('create'), 0.5)} ms | ` +
            `${f(rest, 0.5)} ms | ${t.openMs.toFixed(0)} ms | ${fullReadMs.toFixed(0)} ms |`,
        );
        console.log(`${history} trials, ${sampler}: ask median ${median(t.ask).toFixed(2)} ms`);
      }
    }
  } finally {
    await writer.close();
    await storage.close();
  }
  console.log('\nAsk latency on PostgreSQL against history (one process; each ask told at once, so one change per read):\n');
  console.log(
    '| trials of history | sampler | asks | ask p50 / p99 | change-feed reads p50 / p99 | claim p50 | reserve + start round trips p50 | ' +
      'sampling, duplicate check and view p50 | open (reads every trial) | full read (`listTrials`) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(lines.join('\n'));
  const wait = values['no-commit-wait'] ? ', commits not waiting for the disk (synchronous_commit=off)' : '';
  console.log(`\nServer: ${server.description}${wait}. ${machineLine(loadAtStart)}.`);
});
