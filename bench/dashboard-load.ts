// The dashboard under load beside a running study, as `autotune run --dashboard` serves it: one wine study
// (parallelism 2) alone, then again while a second process keeps 8 connections busy on the API and holds 100 SSE
// streams open. Reports API latency, errors, trial throughput against the lone run, and whether every stream saw
// every trial's final state.
// Run: npm run build && node dist/bench/dashboard-load.js [--trials 10] [--connections 8] [--sse 100] [--seconds 30] [--rounds 2] [--rate 0]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runStudy } from '../src/api/autotune.js';
import { startDashboard } from '../src/cli/dashboard.js';
import { loadStudyFile } from '../src/space/load.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    sse: { type: 'string', default: '100' },
    // The API load lasts as long as the study, but never longer than this.
    seconds: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
    // Requests per second over all connections; 0: each connection sends its next request as soon as one returns.
    rate: { type: 'string', default: '0' },
    role: { type: 'string' },
    job: { type: 'string' },
  },
});

interface Job {
  origin: string;
  token: string;
  study: string;
  connections: number;
  sse: number;
  seconds: number;
  rate: number;
}

interface LoadReport {
  latency: Record<string, number[]>;
  errors: string[];
  seconds: number;
  /** Per stream: update events received, and whether its last copy of every trial matches the final listing. */
  streams: { events: number; complete: boolean; ordered: boolean }[];
  finalTrials: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

// ---- the load process ----

interface TrialSeen {
  number: number;
  state: string;
  stamp: number;
}

async function stream(job: Job, headers: Record<string, string>, stop: AbortSignal) {
  const seen = new Map<number, TrialSeen>();
  let events = 0;
  let ordered = true;
  let lastId = 0;
  // since=0: the stream starts with every trial so far, so a late connection still accounts for all of them.
  const res = await fetch(`${job.origin}/api/studies/${job.study}/events?since=0`, { headers, signal: stop });
  if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        if (field('event') !== 'update') continue;
        events++;
        const id = Number(field('id'));
        if (!(id >= lastId)) ordered = false;
        lastId = id;
        const data = JSON.parse(field('data') ?? '{}') as { state: string; trials: TrialSeen[] };
        for (const t of data.trials) seen.set(t.number, { number: t.number, state: t.state, stamp: t.stamp });
        if (data.state !== 'running') return { seen, events, ordered };
      }
    }
  } catch (error) {
    if (!stop.aborted) throw error;
  }
  return { seen, events, ordered };
}

async function load(job: Job): Promise<LoadReport> {
  const headers = { authorization: `Bearer ${job.token}` };
  const endpoints: Record<string, string> = {
    'studies list': '/api/studies',
    study: `/api/studies/${job.study}`,
    'trials page (sort=value, limit=100)': `/api/studies/${job.study}/trials?sort=value&limit=100`,
    history: `/api/studies/${job.study}/history`,
    curves: `/api/studies/${job.study}/curves`,
  };
  const labels = Object.keys(endpoints);
  const latency: Record<string, number[]> = Object.fromEntries(labels.map((l) => [l, []]));
  const errors: string[] = [];
  for (;;) {
    const res = await fetch(`${job.origin}/api/studies/${job.study}`, { headers });
    await res.arrayBuffer();
    if (res.ok) break;
    await sleep(50);
  }
  const studyDone = new AbortController();
  process.on('message', (m) => m === 'study done' && studyDone.abort());
  const giveUp = new AbortController();
  const streams = Array.from({ length: job.sse }, () =>
    stream(job, headers, giveUp.signal).catch((error: Error) => {
      errors.push(`events: ${error.message}`);
      return { seen: new Map<number, TrialSeen>(), events: 0, ordered: false };
    }),
  );
  const started = performance.now();
  const deadline = Date.now() + job.seconds * 1000;
  const interval = job.rate > 0 ? (job.connections * 1000) / job.rate : 0;
  await Promise.all(
    Array.from({ length: job.connections }, async (_, c) => {
      for (let i = c, sent = 0; !studyDone.signal.aborted && Date.now() < deadline; i++, sent++) {
        const wait = started + (sent + c / job.connections) * interval - performance.now();
        if (wait > 0) await sleep(wait);
        const label = labels[i % labels.length] as string;
        const t0 = performance.now();
        try {
          const res = await fetch(`${job.origin}${endpoints[label]}`, { headers });
          await res.arrayBuffer();
          if (res.ok) (latency[label] as number[]).push(performance.now() - t0);
          else errors.push(`${label}: ${res.status}`);
        } catch (error) {
          errors.push(`${label}: ${(error as Error).message}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // Streams end on their own with the study's final update; a stream still open well after that has missed it.
  const timer = setTimeout(() => giveUp.abort(), 60_000);
  await new Promise<void>((resolve) =>
    studyDone.signal.aborted ? resolve() : studyDone.signal.addEventListener('abort', () => resolve()),
  );
  const received = await Promise.all(streams);
  clearTimeout(timer);
  const res = await fetch(`${job.origin}/api/studies/${job.study}/trials?limit=1000`, { headers });
  const final = ((await res.json()) as { trials: TrialSeen[] }).trials;
  return {
    latency,
    errors,
    seconds,
    streams: received.map((r) => ({
      events: r.events,
      ordered: r.ordered,
      complete: final.every((t) => r.seen.get(t.number)?.stamp === t.stamp && r.seen.get(t.number)?.state === t.state),
    })),
    finalTrials: final.length,
  };
}

// ---- the study process ----

async function timedStudy(dir: string, name: string, withLoad: boolean) {
  const { config } = loadStudyFile('search-spaces/wine.json');
  const study = { ...config, name, search: { ...config.search, trials: Number(args.trials), parallelism: 2 } };
  const file = join(dir, `${name}.db`);
  if (!withLoad) {
    const started = performance.now();
    const result = await runStudy(study, { storage: `sqlite:${file}` });
    return { ms: performance.now() - started, trials: result.trials.length };
  }
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const dashboard = await startDashboard({ storage: `sqlite:${file}`, port, host: '127.0.0.1' });
  const url = new URL(dashboard.url);
  const job: Job = {
    origin: url.origin,
    token: url.searchParams.get('token') as string,
    study: name,
    connections: Number(args.connections),
    sse: Number(args.sse),
    seconds: Number(args.seconds),
    rate: Number(args.rate),
  };
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'load', '--job', JSON.stringify(job)]);
  const report = new Promise<LoadReport>((resolve, reject) => {
    child.once('message', (m) => resolve(m as LoadReport));
    child.once('exit', (code) => reject(new Error(`load process exited (${code})`)));
  });
  report.catch(() => undefined); // awaited below unless the study throws first
  try {
    const started = performance.now();
    const result = await runStudy(study, { storage: `sqlite:${file}` });
    const ms = performance.now() - started;
    child.send('study done');
    return { ms, trials: result.trials.length, report: await report };
  } finally {
    child.kill();
    await dashboard.close();
  }
}

function printLoad(report: LoadReport) {
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`| endpoint | requests | p50 | p99 |\n|---|---|---|---|`);
  for (const [label, times] of Object.entries(report.latency)) {
    console.log(`| \`${label}\` | ${times.length} | ${f(quantile(times, 0.5))} | ${f(quantile(times, 0.99))} |`);
  }
  const total = Object.values(report.latency).reduce((n, t) => n + t.length, 0);
  console.log(
    `API: ${total} requests in ${report.seconds.toFixed(1)} s (${(total / report.seconds).toFixed(0)}/s) over ${args.connections} connections (${Number(args.rate) > 0 ? `paced at ${args.rate}/s` : 'back to back'}), errors: ${report.errors.length}`,
  );
  if (report.errors.length > 0) console.log(`  first errors: ${[...new Set(report.errors)].slice(0, 5).join('; ')}`);
  const events = report.streams.map((s) => s.events);
  const complete = report.streams.filter((s) => s.complete).length;
  const ordered = report.streams.filter((s) => s.ordered).length;
  console.log(
    `SSE: ${complete}/${report.streams.length} streams saw the final state of all ${report.finalTrials} trials; ids in order on ${ordered}; update events per stream min ${Math.min(...events)}, median ${quantile(events, 0.5)}, max ${Math.max(...events)}`,
  );
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'autotune-dashload-'));
  const perMin = (r: { ms: number; trials: number }) => (r.trials / r.ms) * 60_000;
  const alone: number[] = [];
  const loaded: number[] = [];
  try {
    // Alternating rounds: other jobs on shared cores change the pace from minute to minute.
    for (let round = 1; round <= Number(args.rounds); round++) {
      const base = await timedStudy(dir, `wine-alone-${round}`, false);
      alone.push(perMin(base));
      const run = await timedStudy(dir, `wine-loaded-${round}`, true);
      loaded.push(perMin(run));
      console.log(
        `\nround ${round}: alone ${perMin(base).toFixed(1)} trials/min (${base.trials} in ${(base.ms / 1000).toFixed(1)} s); loaded ${perMin(run).toFixed(1)} trials/min (${run.trials} in ${(run.ms / 1000).toFixed(1)} s)`,
      );
      printLoad(run.report as LoadReport);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `\nthroughput: alone ${mean(alone).toFixed(1)}, loaded ${mean(loaded).toFixed(1)} trials/min (mean of ${alone.length}): ${((1 - mean(loaded) / mean(alone)) * 100).toFixed(1)} % fewer`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.role === 'load') {
  const report = await load(JSON.parse(args.job as string) as Job);
  process.send?.(report, () => process.exit(0));
} else await main();
