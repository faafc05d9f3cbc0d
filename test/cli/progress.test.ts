import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { attachProgress, type ProgressOptions } from '../../src/cli/progress.js';
import { runSearch } from '../../src/controller/search.js';
import { Study } from '../../src/controller/study.js';
import { workerTaskBuilder } from '../../src/controller/tasks.js';
import { parseStudy } from '../../src/space/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { PiscinaRunner } from '../../src/training/piscina-runner.js';
import { repoPath } from '../helpers/tmp.js';

/** Text written so far, with an event on every write, so a test waits for what it expects instead of sleeping. */
class Transcript extends EventEmitter {
  text = '';
  add(chunk: string): void {
    this.text += chunk;
    this.emit('written');
  }
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve) => {
      const check = () => {
        const match = pattern.exec(this.text);
        if (!match) return;
        this.off('written', check);
        resolve(match);
      };
      this.on('written', check);
      check();
    });
  }
}

/** What cli-progress needs of a terminal: it writes its cursor movements to any stream that says it is a TTY. */
function fakeTerminal(transcript: Transcript): NodeJS.WritableStream {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      transcript.add(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns: 240 });
}

/**
 * Trains an iris MLP for far more epochs than the test waits for, in a worker (so this thread is free for the
 * display's timer), until `until` resolves; then the study is aborted. Resolves to the trial's final state.
 */
async function longIrisTrial(progress: ProgressOptions, until: Promise<unknown>) {
  const config = parseStudy({
    name: 'long-iris',
    data: { source: repoPath('datasets/iris.csv'), target: 'species', task: 'classification' },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    // The long trial alone: baselines would run first and take the line's place.
    search: { trials: 1, seed: 4, baselines: false },
    training: { epochs: 1000 },
    // Single-sample batches: minutes of training, far longer than the test waits.
    space: { layers: 2, units: 64, batchSize: 1 },
  });
  const study = await Study.open(new MemoryStorage(), config);
  attachProgress(study, progress);
  const abort = new AbortController();
  void until.then(() => abort.abort(new Error('the test has seen its line')));
  const runner = new PiscinaRunner({ threads: 1 });
  try {
    await runSearch(study, runner, { taskFor: workerTaskBuilder(config), signal: abort.signal });
  } finally {
    await runner.close();
  }
  return study.trials[0];
}

describe('the progress display of `autotune run`', () => {
  it('without a terminal, prints a line for a long-running trial with its epoch and best value so far', async () => {
    const transcript = new Transcript();
    const seen = transcript.waitFor(
      /^\[0\/1\] running trial 0: epoch (\d+)\/1000, best val_accuracy (\d\.\d{4}) so far, \d+ s \(best=-\)$/m,
    );
    const trial = await longIrisTrial({ tty: false, print: (line) => transcript.add(`${line}\n`), runningLineEveryMs: 300 }, seen);
    const [, epoch, best] = await seen;
    expect(Number(epoch)).toBeGreaterThanOrEqual(1);
    expect(Number(best)).toBeGreaterThan(0);
    // The finished trial's line says "failed" once, then why.
    expect(trial?.state).toBe('failed');
    expect(transcript.text).toMatch(/^\[1\/1\] trial 0 failed: aborted: the test has seen its line [\d.]+s \(-\) best=-$/m);
  });

  it('on a terminal, shows the epoch of each running trial in the live bar', async () => {
    const transcript = new Transcript();
    const lines: string[] = [];
    const seen = transcript.waitFor(/running 1 \| failed 0 \| best - \| #0 epoch (\d+)\/1000/);
    await longIrisTrial({ tty: true, stream: fakeTerminal(transcript), print: (line) => lines.push(line) }, seen);
    const [, epoch] = await seen;
    expect(Number(epoch)).toBeGreaterThanOrEqual(1);
    // The bar replaces the plain lines: only the study's header was printed.
    expect(lines).toHaveLength(1);
  });
});
