// Controller overhead per trial: trials of a trivial objective (two floats) through the full controller (sampler +
// storage + dispatch + events), one process. Same job as Optuna's figure in shared/reference/optuna.md.
// Run: npm run build && node dist/bench/controller-overhead.js [--trials 2000] [--runs 3] [--storage sqlite,memory,pool]
//        [--sampler random] [--profile] [--no-commit-wait]
// PostgreSQL (issue 13): `--storage postgres,sqlite,memory --sampler random,tpe --trials 500` (npm run
// bench:controller:postgres); an embedded server is started, or AUTOTUNE_BENCH_POSTGRES_URL is used. `--profile`
// adds one counted run per storage: storage calls and PostgreSQL round trips per trial, and where the time goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { autotune } from '../src/index.js';
import type { SamplerConfig } from '../src/space/schema.js';
import { openStorage } from '../src/storage/open.js';
import { load1, machineLine, median } from './machine.js';
import { startBenchServer, withoutCommitWait, type BenchServer } from './postgres-server.js';
import { countedStorage, countRoundTrips, type MethodTally } from './storage-calls.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
    storage: { type: 'string', default: 'sqlite,memory,pool' },
    sampler: { type: 'string', default: 'random' },
    profile: { type: 'boolean', default: false },
    // PostgreSQL commits without waiting for the disk (see withoutCommitWait), to tell round trips from flushes.
    'no-commit-wait': { type: 'boolean', default: false },
  },
});
const trials = Number(values.trials);
const runs = Number(values.runs);

const KINDS = ['postgres', 'sqlite', 'memory', 'pool'] as const;
type Kind = (typeof KINDS)[number];
const LABEL: Record<Kind, string> = {
  postgres: 'PostgreSQL',
  sqlite: 'SQLite file (WAL)',
  memory: 'in-memory',
  pool: 'SQLite + piscina pool (2 threads, module objective, includes pool start)',
};
const kinds = (values.storage as string).split(',').map((k) => k.trim());
for (const k of kinds)
  if (!(KINDS as readonly string[]).includes(k)) throw new Error(`--storage: unknown "${k}" (expected ${KINDS.join(', ')})`);
const samplers = (values.sampler as string).split(',').map((s) => s.trim()) as Extract<SamplerConfig, string>[];

// In the pool the objective is a module: functions cannot cross threads. dist/bench → bench/objectives.
const trivialModule = fileURLToPath(new URL('../../bench/objectives/trivial.mjs', import.meta.url));

interface Place {
  readonly kind: Kind;
  /** A storage URL of its own for each run, so no run resumes another's study. */
  url(run: string): Promise<string>;
}

async function perTrialMs(place: Place, sampler: SamplerConfig, run: string, tally?: Map<string, MethodTally>): Promise<number> {
  const url = await place.url(run);
  // Opened here rather than by autotune() so the profile can count its calls; the open itself is not timed, as
  // a SQLite file's open is not (autotune opens it before the first trial either way).
  const opened = await openStorage(url);
  const storage = tally ? countedStorage(opened, tally) : opened;
  try {
    const started = performance.now();
    const result = await autotune({
      space: { x: { float: [-5, 10] }, y: { float: [0, 15] } },
      objective: place.kind === 'pool' ? trivialModule : ({ x, y }) => x * x + y,
      trials,
      seed: 1,
      sampler,
      storage,
      ...(place.kind === 'pool' ? { parallelism: 2 } : {}),
    });
    if (result.trials.length !== trials) throw new Error(`expected ${trials} trials, got ${result.trials.length}`);
    return (performance.now() - started) / trials;
  } finally {
    await opened.close();
  }
}

function places(dir: string, server: BenchServer | null): Place[] {
  return kinds.map((kind) => {
    switch (kind as Kind) {
      case 'postgres':
        return {
          kind: 'postgres',
          url: async () => {
            const url = await (server as BenchServer).database();
            return values['no-commit-wait'] ? withoutCommitWait(url) : url;
          },
        };
      case 'memory':
        return { kind: 'memory', url: async () => ':memory:' };
      case 'sqlite':
        return { kind: 'sqlite', url: async (run) => join(dir, `run-${run}.db`) };
      case 'pool':
        return { kind: 'pool', url: async (run) => join(dir, `pool-${run}.db`) };
    }
  });
}

/** Where a profiled run's storage time went, per trial: one line per method, busiest first. */
function profileLines(tally: Map<string, MethodTally>, roundTrips: number | null): string[] {
  const rows = [...tally.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, t]) => s + t.ms, 0);
  const lines = ['| storage method | calls per trial | ms per trial |', '|---|---|---|'];
  for (const [name, t] of rows) lines.push(`| \`${name}\` | ${(t.calls / trials).toFixed(2)} | ${(t.ms / trials).toFixed(3)} |`);
  lines.push(`| all storage calls | ${(rows.reduce((s, [, t]) => s + t.calls, 0) / trials).toFixed(2)} | ${(total / trials).toFixed(3)} |`);
  if (roundTrips !== null) lines.push(`\nPostgreSQL round trips per trial: ${(roundTrips / trials).toFixed(2)}`);
  return lines;
}

const loadAtStart = load1();
const dir = mkdtempSync(join(tmpdir(), 'autotune-bench-'));
const server = kinds.includes('postgres') ? await startBenchServer() : null;
try {
  const all = places(dir, server);
  await perTrialMs({ kind: 'memory', url: async () => ':memory:' }, 'random', 'warm-up'); // warm up the JIT
  const results = new Map<string, number[]>();
  for (const sampler of samplers) {
    // Interleaved runs, so other jobs on shared cores weigh on every storage alike.
    for (let run = 0; run < runs; run++) {
      for (const place of all) {
        const key = `${place.kind}/${sampler}`;
        results.set(key, [...(results.get(key) ?? []), await perTrialMs(place, sampler, `${sampler}-${run}`)]);
      }
    }
  }
  const fmt = (xs: number[]) => `**${median(xs).toFixed(3)} ms/trial** (runs ${xs.map((x) => x.toFixed(3)).join(', ')})`;
  console.log(`\nController overhead, ${trials} trials × ${runs} runs, median per trial (trivial objective, one process):\n`);
  console.log(`| storage | ${samplers.join(' | ')} |\n|---|${samplers.map(() => '---|').join('')}`);
  for (const place of all)
    console.log(`| ${LABEL[place.kind]} | ${samplers.map((s) => fmt(results.get(`${place.kind}/${s}`) ?? [])).join(' | ')} |`);
  console.log(`\nOptuna 3.1 on the same job (random sampler): 29.3 ms/trial (SQLite), 0.25 ms/trial (in-memory).`);
  if (server)
    console.log(
      `Server: ${server.description}${values['no-commit-wait'] ? '; commits not waiting for the disk (synchronous_commit=off)' : ''}.`,
    );

  if (values.profile) {
    for (const place of all) {
      const tally = new Map<string, MethodTally>();
      const counter = place.kind === 'postgres' ? countRoundTrips() : null;
      const ms = await perTrialMs(place, samplers[0] ?? 'random', 'profile', tally);
      const roundTrips = counter?.count() ?? null;
      counter?.stop();
      console.log(`\nProfile, ${LABEL[place.kind]}, ${samplers[0]} sampler (one counted run, ${ms.toFixed(3)} ms/trial):\n`);
      console.log(profileLines(tally, roundTrips).join('\n'));
    }
  }
  console.log(`\n${machineLine(loadAtStart)}.`);
} finally {
  await server?.release();
  rmSync(dir, { recursive: true, force: true });
}
