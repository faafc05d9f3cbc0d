// Model quality against scikit-learn on the very same splits: every shipped study that trains models, over seeds
// 0, 1, 2. For each seed the study's own seeded split (train / validation / test source rows, as prepareDataset
// draws them) is written out and Debian's scikit-learn runs the grids of shared/reference/baselines.md on it in
// the same invocation (bench/sklearn/reference.py). Reports the
// study's default output on test (the ensemble when the study file asks for one, else the validation-best trial),
// the validation-selected scikit-learn model and scikit-learn's best family on test: median (min..max) over seeds.
// Run: npm run build && node dist/bench/quality.js [--studies iris,wine] [--seeds 0,1,2]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runStudy } from '../src/api/autotune.js';
import { readStudyTables } from '../src/data/held-out.js';
import { prepareDataset } from '../src/data/prepare.js';
import { loadStudyFile, type StudyConfig } from '../src/space/index.js';
import { load1, machineLine, median } from './machine.js';

const { values } = parseArgs({
  options: {
    studies: { type: 'string' },
    seeds: { type: 'string', default: '0,1,2' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const root = fileURLToPath(new URL('../..', import.meta.url));
const seeds = values.seeds.split(',').map(Number);
const wanted = values.studies?.split(',');
if (spawnSync(values.python, ['-c', 'import sklearn']).status !== 0) {
  console.error(
    `bench/quality: ${values.python} cannot import sklearn; run \`npm run bench:quality\` (it installs python3-sklearn as root)`,
  );
  process.exit(2);
}

/** One run's test scores in the study's terms: accuracy, R², or MAPE in percent for a series (lower is better). */
interface Score {
  readonly ours: number;
  readonly selected: number;
  readonly selectedFamily: string;
  readonly best: number;
  readonly bestFamily: string;
  readonly seconds: number;
  readonly trials: number;
}

interface Reference {
  readonly selected: { family: string; test: number };
  readonly best: { family: string; test: number };
}

const scoreName = (config: StudyConfig): 'accuracy' | 'r2' | 'mape' =>
  config.data!.input.kind === 'series' ? 'mape' : config.data!.task === 'classification' ? 'accuracy' : 'r2';

function sklearnOn(config: StudyConfig, seed: number, dir: string): Reference {
  const data = config.data!;
  const { table, testTable } = readStudyTables(data);
  const kind = data.input.kind;
  const split =
    kind === 'series' ? { train: [], validation: [], test: [] } : prepareDataset(table, data, seed, undefined, testTable).sourceRows!;
  const task = {
    file: data.source,
    target: data.target,
    task: data.task,
    kind,
    features: data.features ?? null,
    split,
    ...(data.input.kind === 'series' ? { horizon: data.input.horizon } : {}),
  };
  const file = join(dir, `split-${seed}.json`);
  writeFileSync(file, JSON.stringify(task));
  const out = JSON.parse(execFileSync(values.python, [join(root, 'bench/sklearn/reference.py'), file], { encoding: 'utf8' })) as Reference;
  // The script maximizes; a series' scores are negated MAPE as a fraction, autotune's `mape` is in percent.
  if (kind !== 'series') return out;
  return {
    selected: { family: out.selected.family, test: -100 * out.selected.test },
    best: { family: out.best.family, test: -100 * out.best.test },
  };
}

async function ours(config: StudyConfig, seed: number, dir: string): Promise<{ score: number; trials: number }> {
  const name = `${config.name}-seed${seed}`;
  const seeded: StudyConfig = { ...config, name, search: { ...config.search, seed } };
  const result = await runStudy(seeded, { storage: join(dir, `${name}.db`) });
  const metric = scoreName(config);
  const objectiveMetric = config.objective.metric.replace(/^val_/, '');
  // The ensemble's test score is on the objective's metric; it is the study's output only when that is the score.
  const score =
    result.ensemble && result.ensemble.testScore !== null && objectiveMetric === metric
      ? result.ensemble.testScore
      : (result.best.metrics[`test_${metric}`] as number);
  return { score, trials: result.trials.length };
}

const format = (metric: string, x: number) => (metric === 'mape' ? `${x.toFixed(1)} %` : x.toFixed(3));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const summary = (metric: string, xs: number[]) => {
  const s = sorted(xs);
  const mid = median(xs);
  return s.length === 1 ? format(metric, mid) : `${format(metric, mid)} (${format(metric, s[0]!)}..${format(metric, s[s.length - 1]!)})`;
};

const studyFiles = readdirSync(join(root, 'search-spaces'))
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .map((f) => join(root, 'search-spaces', f))
  .filter((f) => !wanted || wanted.includes(basename(f, '.json')));
const loadAtStart = load1();
const lines: string[] = [];
for (const file of studyFiles) {
  const { config } = loadStudyFile(file);
  if (!config.data) continue;
  const metric = scoreName(config);
  const runs: Score[] = [];
  for (const seed of seeds) {
    const dir = mkdtempSync(join(tmpdir(), 'autotune-quality-'));
    try {
      const started = performance.now();
      const mine = await ours(config, seed, dir);
      const seconds = (performance.now() - started) / 1000;
      const reference = sklearnOn(config, seed, dir);
      runs.push({
        ours: mine.score,
        selected: reference.selected.test,
        selectedFamily: reference.selected.family,
        best: reference.best.test,
        bestFamily: reference.best.family,
        seconds,
        trials: mine.trials,
      });
      console.error(
        `${basename(file)} seed ${seed}: ours ${format(metric, mine.score)}, scikit-learn ${format(metric, reference.selected.test)} (${reference.selected.family}) in ${seconds.toFixed(0)} s`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const better = (a: number, b: number) => (metric === 'mape' ? a <= b : a >= b);
  const met = better(median(runs.map((r) => r.ours)), median(runs.map((r) => r.selected)));
  const families = [...new Set(runs.map((r) => r.selectedFamily))].join(', ');
  lines.push(
    `| ${basename(file)} | ${config.data.source.split('/').pop()} | ${metric === 'mape' ? 'MAPE' : metric === 'r2' ? 'R²' : 'accuracy'} | ` +
      `**${summary(
        metric,
        runs.map((r) => r.ours),
      )}** | ${summary(
        metric,
        runs.map((r) => r.selected),
      )} (${families}) | ` +
      `${summary(
        metric,
        runs.map((r) => r.best),
      )} (${[...new Set(runs.map((r) => r.bestFamily))].join(', ')}) | ${met ? 'met' : 'missed'} | ` +
      `${median(runs.map((r) => r.seconds)).toFixed(0)} s | ${median(runs.map((r) => r.trials))} |`,
  );
}
console.log(
  `Command: \`node dist/bench/quality.js${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` — ${machineLine(loadAtStart)}`,
);
console.log('');
console.log(
  '| study | dataset | test score | **autotune** median (min..max) | scikit-learn, validation-selected | scikit-learn, best family on test | goal | wall time | trials |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const line of lines) console.log(line);
