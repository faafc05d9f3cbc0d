import type { StepHistory } from '../schedulers/scheduler.js';

/**
 * The objective value of every step of every trial, indexed both ways, for schedulers. Filled only from storage's
 * change feed (see StudyView), with the steps of every process sharing the study, so a scheduler in any process,
 * or rebuilt after a restart, decides from the same steps.
 */
export class StepValues implements StepHistory {
  private readonly byStep = new Map<number, Map<number, number>>();
  private readonly byTrial = new Map<number, Map<number, number>>();
  private static readonly EMPTY: ReadonlyMap<number, number> = new Map();

  record(trialNumber: number, step: number, value: number): void {
    let atStep = this.byStep.get(step);
    if (!atStep) this.byStep.set(step, (atStep = new Map()));
    atStep.set(trialNumber, value);
    let ofTrial = this.byTrial.get(trialNumber);
    if (!ofTrial) this.byTrial.set(trialNumber, (ofTrial = new Map()));
    ofTrial.set(step, value);
  }

  valuesAt(step: number): ReadonlyMap<number, number> {
    return this.byStep.get(step) ?? StepValues.EMPTY;
  }

  stepsOf(trialNumber: number): ReadonlyMap<number, number> {
    return this.byTrial.get(trialNumber) ?? StepValues.EMPTY;
  }
}
