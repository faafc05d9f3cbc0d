// The fault-injection suite in its long form (20 kills, 100,000 fuzzed documents), written up as bench/RELIABILITY.md.
// Run: npm run reliability   (= npm run build && node dist/bench/reliability.js)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';

// What each file injects; the test titles say what is expected of it.
const FAULTS: Record<string, string> = {
  'test/reliability/kill9.test.ts': 'SIGKILL of `autotune run` at seeded random moments',
  'test/reliability/two-processes.test.ts': 'two `autotune run` processes on one SQLite study',
  'test/reliability/two-processes-tpe-asha.test.ts': 'two `autotune run` processes on one SQLite study, TPE and ASHA',
  'test/reliability/postgres-eight-processes.test.ts': 'eight `autotune run` processes on one PostgreSQL study',
  'test/reliability/postgres-kill9.test.ts': 'SIGKILL of one of four processes on one PostgreSQL study',
  'test/reliability/postgres-restart.test.ts': 'the PostgreSQL server stopped and started again mid-study',
  'test/storage/postgres-reconnect.test.ts': 'PostgreSQL connections refused, or cut before and after COMMIT',
  'test/reliability/workers.test.ts': 'a trial that exhausts or leaks its worker heap',
  'test/controller/failures.test.ts': 'a trial that throws, returns NaN, hangs, calls process.exit',
  'test/controller/stop.test.ts': 'a stop from another client; a process dead mid-trial',
  'test/cli/interrupt.test.ts': 'Ctrl-C once and twice',
  'test/cli/backup.test.ts': 'a backup while a study writes',
  'test/hostile/study-fuzz.test.ts': 'fast-check study documents (random, mutated, generated)',
  'test/hostile/study-bombs.test.ts': 'resource bombs in study files',
  'test/hostile/datasets.test.ts': 'hostile dataset files',
  'test/server/security.test.ts': 'requests without the token, from a foreign host or origin',
  'test/server/launch.test.ts': 'studies launched from the dashboard with hostile paths or code',
  'test/export/export.test.ts': 'exports tampered with, from a newer format, missing files',
};
// The settings that make it the long form; `npm test` runs 8 kills and 10,000 documents.
const LONG = { KILL9_MOMENTS: '20', FUZZ_SCALE: '10' };
// Counts summed over every test for the summary; the rest are shown per test.
const HEADLINE = [
  'kills survived',
  'trials lost or changed',
  'duplicate trial numbers',
  'interrupted trials retried',
  'documents tried',
  'faults injected',
  'trials out of memory',
];

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  duration?: number | null;
  failureMessages: string[];
}
interface Report {
  startTime: number;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: Assertion[] }[];
}

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'autotune-reliability-'));
const json = join(work, 'report.json');
const log = join(work, 'counts.jsonl');
const files = Object.keys(FAULTS);
// One file at a time: kill -9 sharing the two cores with the fuzzer would finish few trials between its kills.
const args = ['vitest', 'run', ...files, '--maxWorkers=1', '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`];
const started = performance.now();
const run = spawnSync('npx', args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...LONG, AUTOTUNE_RELIABILITY_LOG: log, NO_COLOR: '1' },
});
const minutes = (performance.now() - started) / 60_000;
if (!existsSync(json)) throw new Error(`vitest wrote no report (exit ${run.status}): ${run.error?.message ?? 'see its output above'}`);
const report = JSON.parse(readFileSync(json, 'utf8')) as Report;

// Keyed as vitest names the running test (file, then describe blocks and title joined by " > "). Several lines may
// come from one test, counted in parts: merge them.
const counts = new Map<string, Record<string, number>>();
for (const line of existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) {
  const { file, test, counts: c } = JSON.parse(line) as { file: string; test: string; counts: Record<string, number> };
  const key = `${relative(root, file)}::${test}`;
  counts.set(key, { ...counts.get(key), ...c });
}
rmSync(work, { recursive: true, force: true });
const sum = (key: string) => [...counts.values()].reduce((s, c) => s + (c[key] ?? 0), 0);

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with the ESC control character.
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;
const plain = (text: string) => text.replace(ANSI_COLOUR, '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seconds = (ms: number | null | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
const rows: string[] = [];
const shown = new Set<string>();
for (const file of files) {
  const result = report.testResults.find((r) => relative(root, r.name) === file);
  if (!result) {
    rows.push(`| ${plain(FAULTS[file]!)} | (\`${file}\` did not run) | **not run** | |`);
    continue;
  }
  // The fault on a file's first row and a describe block on its first test only, so the table reads in groups.
  let describe = '';
  result.assertionResults.forEach((a, i) => {
    const fault = i === 0 ? `${plain(FAULTS[file]!)} (\`${file.replace(/^test\//, '')}\`)` : '';
    const block = a.ancestorTitles.join(' › ');
    const expected = block !== describe ? `*${plain(block)}* › ${plain(a.title)}` : plain(a.title);
    describe = block;
    const failure = a.failureMessages[0]?.split('\n')[0]?.slice(0, 160);
    const key = `${file}::${[...a.ancestorTitles, a.title].join(' > ')}`;
    shown.add(key);
    const counted = Object.entries(counts.get(key) ?? {});
    const observed = [
      a.status === 'passed' ? 'pass' : `**${a.status}**${failure ? `: ${plain(failure)}` : ''}`,
      ...counted.map(([k, v]) => `${k}: ${v.toLocaleString('en-US')}`),
    ].join('; ');
    rows.push(`| ${fault} | ${expected} | ${observed} | ${seconds(a.duration)} |`);
  });
}
// A test renamed so that its key no longer matches would lose its counts from the table (not from the summary).
for (const key of counts.keys()) if (!shown.has(key)) console.warn(`counts of ${key} match no test in the report`);

const cpu = cpus();
const md = `# Reliability: the fault-injection suite, long form

Generated by \`npm run reliability\` (\`bench/reliability.ts\`) on ${new Date(report.startTime).toISOString().slice(0, 10)}, in ${minutes.toFixed(1)} minutes.

- **Command:** \`${Object.entries(LONG)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ')} npx ${args.slice(0, 3 + files.length).join(' ')}\`
  (\`npm test\` runs the same files with 8 kills and 10,000 fuzzed documents)
- **Machine:** ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.versions.node}

## Summary

| | |
|---|---:|
| tests passed | ${report.numPassedTests} of ${report.numTotalTests}${report.numFailedTests ? ` (**${report.numFailedTests} failed**)` : ''} |
${HEADLINE.map((key) => `| ${key} | ${sum(key).toLocaleString('en-US')} |`).join('\n')}

## Every fault injected

Observed: pass or fail, then what the test counted.

| Fault injected | Expected | Observed | Time |
|---|---|---|---:|
${rows.join('\n')}
`;
writeFileSync(join(root, 'bench', 'RELIABILITY.md'), md);
console.log(`bench/RELIABILITY.md: ${report.numPassedTests} of ${report.numTotalTests} tests passed`);
process.exitCode = run.status ?? 1;
