import type { Study } from '../controller/study.js';
import { formatValue } from './format.js';

/** How far one running trial has got, as its events tell. */
export interface RunningTrial {
  readonly number: number;
  /** `Date.now()` when this process started it. */
  readonly startedAt: number;
  /** The epoch under way and the epochs it may train (trained models). */
  epoch?: number;
  epochs?: number;
  /** The last step reported. */
  step?: number;
  /** The trial's best objective value over the steps reported so far. */
  best?: number;
}

/**
 * The trials this process is running, kept up to date from the study's events, for the progress display: which
 * epoch each is in, and its best value so far.
 */
export class RunningTrials {
  private readonly byNumber = new Map<number, RunningTrial>();

  constructor(private readonly study: Study) {
    const metric = study.config.objective.metric;
    study.events.on('trialStart', ({ trial }) => this.byNumber.set(trial.number, { number: trial.number, startedAt: Date.now() }));
    study.events.on('trialEpoch', ({ trial, epoch, epochs }) => this.update(trial.number, (r) => Object.assign(r, { epoch, epochs })));
    study.events.on('trialReport', ({ trial, step, metrics }) =>
      this.update(trial.number, (r) => {
        r.step = step;
        const value = metrics[metric];
        if (value !== undefined && study.isBetter(value, r.best ?? Number.NaN)) r.best = value;
      }),
    );
    study.events.on('trialEnd', ({ trial }) => this.byNumber.delete(trial.number));
  }

  /** Running trials in number order. */
  list(): RunningTrial[] {
    return [...this.byNumber.values()].sort((a, b) => a.number - b.number);
  }

  /** `trial 4: epoch 8/100, best val_loss 0.0123 so far, 212 s`. */
  describe(trial: RunningTrial, now = Date.now()): string {
    const best = trial.best === undefined ? 'no value yet' : `best ${this.study.config.objective.metric} ${formatValue(trial.best)} so far`;
    return `trial ${trial.number}: ${whereText(trial)}, ${best}, ${Math.round((now - trial.startedAt) / 1000)} s`;
  }

  /** `#4 epoch 8/100, #5 step 3`: every running trial, short enough for a progress bar. */
  summary(): string {
    return this.list()
      .map((t) => `#${t.number} ${whereText(t)}`)
      .join(', ');
  }

  private update(number: number, change: (trial: RunningTrial) => void): void {
    const trial = this.byNumber.get(number);
    if (trial) change(trial);
  }
}

function whereText(trial: RunningTrial): string {
  if (trial.epoch !== undefined) return `epoch ${trial.epoch}/${trial.epochs ?? '?'}`;
  if (trial.step !== undefined) return `step ${trial.step}`;
  return 'starting';
}
