#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { AutotuneError, InputError, StudyFailedError } from '../core/errors.js';
import { runCommand } from './run.js';
import { workerCommand } from './worker.js';
import { schemaCommand } from './schema.js';
import { showCommand, studiesCommand } from './inspect.js';
import { backupCommand } from './backup.js';
import { copyCommand } from './copy.js';
import { trialsCommand } from './trials.js';
import { validateCommand } from './validate.js';
import type { TrialState } from '../core/types.js';
import { TRIAL_STATES } from '../storage/storage.js';
import { ensembleCommand, exportCommand, serveCommand } from './deploy.js';
import { predictCommand } from './predict.js';
import { horizonSteps } from './horizon.js';
import { dashboardCommand } from './dashboard.js';

/** Exit codes: 0 done, 1 the study failed, 2 bad input. */
export const EXIT = { ok: 0, studyFailed: 1, badInput: 2 } as const;

/** `pruned,failed` → the states, each checked. */
function trialStates(text: string): TrialState[] {
  const states = text.split(',').map((s) => s.trim());
  const unknown = states.filter((s) => !(TRIAL_STATES as readonly string[]).includes(s));
  if (unknown.length > 0 || states.length === 0)
    throw new InvalidArgumentError(`expected states among ${TRIAL_STATES.join(', ')}, separated by commas`);
  return states as TrialState[];
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return value;
}

const program = new Command()
  .name('autotune')
  .description('Hyperparameter search for TensorFlow.js models')
  .showHelpAfterError()
  .exitOverride();

program
  .command('run')
  .description('run (or continue) the study in a study file')
  .argument('<study>', 'study file (JSON)')
  .option('--trials <n>', 'total trials in the study (overrides search.trials)', positiveInt)
  .option('--parallelism <n>', 'trials at once (overrides search.parallelism)', positiveInt)
  .option('--seed <n>', 'study seed (overrides search.seed)', positiveInt)
  .option('--storage <url>', 'sqlite:FILE, a file path, :memory:, or postgres://user:password@host:5432/db', './autotune.db')
  .option('--quiet', 'print only the result')
  .option('--grace <seconds>', 'after Ctrl-C, how long running trials may finish', positiveInt, 30)
  .option('--artifacts <dir>', 'keep trial models and predictions in this directory (e.g. a share every machine mounts)')
  .option('--dashboard [port]', 'serve the dashboard beside the study (default port 8787), and keep serving after it until Ctrl-C', (v) =>
    positiveInt(v),
  )
  .action(runCommand);

program
  .command('worker')
  .description('join a study another machine created (same storage), running its trials until its budget is spent')
  .requiredOption('--storage <url>', "the study's storage: postgres://user:password@host:5432/db, or a SQLite file")
  .requiredOption('--study <name>', 'the study to join')
  .option('--parallelism <n>', "trials at once on this machine (default: the study's search.parallelism)", positiveInt)
  .option('--data <path>', "this machine's copy of the dataset (default: the path the study recorded); checked by sha256")
  .option('--test-data <path>', "this machine's copy of the held-out test file (data.test); checked by sha256")
  .option('--quiet', 'print only the result')
  .option('--grace <seconds>', 'after Ctrl-C, how long running trials may finish', positiveInt, 30)
  .action(workerCommand);

program
  .command('validate')
  .description('check a study file, its dataset and columns, and estimate its largest model, without running or writing anything')
  .argument('<study>', 'study file (JSON)')
  .action(validateCommand);

program
  .command('studies')
  .description('list the studies in a database')
  .option('--storage <url>', 'sqlite:FILE, a file path', './autotune.db')
  .action(studiesCommand);

program
  .command('show')
  .description("show a study's best trials")
  .argument('<study>', 'study name')
  .option('--storage <url>', 'sqlite:FILE, a file path', './autotune.db')
  .option('--top <n>', 'how many trials to list', positiveInt, 10)
  .option(
    '--state <states>',
    'list the trials in these states instead, with why each was pruned or failed (e.g. pruned,failed)',
    trialStates,
  )
  .action(showCommand);

program
  .command('trials')
  .description('every trial of a study as one table: state, values, params, durations, metrics, failure reason')
  .argument('<study>', 'study name')
  .option('--storage <url>', 'sqlite:FILE, a file path', './autotune.db')
  .addOption(new Option('--format <format>', 'table format').choices(['csv', 'json']).default('csv'))
  .option('--state <states>', 'only trials in these states (e.g. complete,pruned)', trialStates)
  .option('--out <file>', 'write the table here instead of stdout')
  .action(trialsCommand);

program
  .command('ensemble')
  .description("build the study's ensemble from the saved predictions of its best trials")
  .argument('<study>', 'study name')
  .option('--storage <url>', 'sqlite:FILE, a file path', './autotune.db')
  .option('--size <n>', 'greedy rounds, or N for average and vote', positiveInt)
  .option('--top-k <n>', 'candidates: the best K trials', positiveInt)
  .addOption(new Option('--method <method>', 'selection method').choices(['greedy', 'average', 'vote', 'stacking']))
  .action(ensembleCommand);

program
  .command('export')
  .description('write the best model or the ensemble, with its preprocessing, as a deployable directory')
  .argument('<study>', 'study name')
  .requiredOption('--out <dir>', 'new or empty directory to write')
  .option('--storage <url>', 'sqlite:FILE, a file path', './autotune.db')
  .option('--best', 'the best single trial (default)')
  .option('--ensemble', "the study's ensemble (see `autotune ensemble`)")
  .addOption(new Option('--quantize <kind>', 'store weights smaller').choices(['float16', 'uint8']))
  .action(exportCommand);

program
  .command('predict')
  .description('predict every row of a CSV or JSON Lines file with an export')
  .argument('<dir>', 'export directory')
  .argument('<input>', 'CSV or JSON Lines file with the input columns')
  .option('--out <file>', 'write predictions here (CSV) instead of stdout')
  .option('--probabilities', 'add one probability column per class')
  .option('--horizon <n>', 'series: forecast N steps ahead, as the model was trained to (columns t+1 … t+N)', horizonSteps)
  .action(predictCommand);

program
  .command('serve')
  .description('serve an export over HTTP: POST /predict, GET /model, GET /health')
  .argument('<dir>', 'export directory')
  .option('--port <n>', 'port', positiveInt, 8080)
  .option('--host <host>', 'address to bind (default: this machine only)', '127.0.0.1')
  .option('--horizon <n>', 'series: steps forecast per row when a request names no horizon', horizonSteps)
  .option(
    '--allow-host <name>',
    'also answer requests addressed to this Host (name:port, e.g. models.internal:8080); repeatable',
    (v: string, all: string[]) => [...all, v],
    [],
  )
  .action(serveCommand);

program
  .command('dashboard')
  .description('browse studies in a web page (prints a URL with a one-off token)')
  .option('--storage <url>', 'sqlite:FILE, a file path', './autotune.db')
  .option('--port <n>', 'port', positiveInt, 8787)
  .option('--host <host>', 'address to bind (default: this machine only)', '127.0.0.1')
  .option('--data-root <dir>', 'studies launched from the dashboard may only read datasets under this directory', '.')
  .option('--allow-code', 'let launched studies run objective or loss modules (remote code execution: only on a trusted network)')
  .action(dashboardCommand);

program
  .command('backup')
  .description('copy a database safely while studies run (SQLite online backup; from PostgreSQL, a logical copy)')
  .argument('<db>', 'the SQLite database, or a postgres:// URL')
  .argument('<out>', 'a new file (SQLite)')
  .action(backupCommand);

program
  .command('copy')
  .description('copy studies with their trials, steps and artifacts between storages (SQLite and PostgreSQL, either way)')
  .requiredOption('--from <url>', 'the storage to copy from')
  .requiredOption('--to <url>', 'the storage to copy into (created if a new SQLite file)')
  .option('--study <name>', 'only this study (default: every study)')
  .option('--artifacts <dir>', "put the copies' artifact files in this directory instead of beside or in the target")
  .action(copyCommand);

program
  .command('schema')
  .description('print the JSON Schema of study files (or write it with --out)')
  .option('--out <file>', 'write to this file')
  .action(schemaCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  const commanderError = error as { code?: string; exitCode?: number };
  if (typeof commanderError.code === 'string' && commanderError.code.startsWith('commander.')) {
    return commanderError.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (error instanceof InputError) {
    console.error(`autotune: ${error.message}`);
    return EXIT.badInput;
  }
  if (error instanceof StudyFailedError) {
    console.error(`autotune: ${error.message}`);
    return EXIT.studyFailed;
  }
  console.error(`autotune: ${error instanceof AutotuneError ? error.message : ((error as Error)?.stack ?? String(error))}`);
  return EXIT.studyFailed;
}
