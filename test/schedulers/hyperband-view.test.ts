import { describe, expect, it } from 'vitest';
import { StepValues } from '../../src/controller/step-history.js';
import type { TrialRecord } from '../../src/core/types.js';
import { HyperbandScheduler } from '../../src/schedulers/hyperband.js';
import type { SchedulerContext } from '../../src/schedulers/scheduler.js';

const trial = (number: number, bracket: number): TrialRecord =>
  ({ id: number + 1, number, state: 'running', systemAttrs: { bracket }, values: null }) as unknown as TrialRecord;

describe('Hyperband reads the controller view by trial number', () => {
  it('counts a bracket member whose number is past a gap in the trials the controller knows', () => {
    const scheduler = new HyperbandScheduler({ minEpochs: 1, maxEpochs: 27, eta: 3 }, 1);
    // The view lacks trial 1 (made by another process, not yet read): trial 2 sits at index 1 of the list.
    const known = [trial(0, 0), trial(2, 0), trial(3, 0)];
    const history = new StepValues();
    history.record(0, 1, 0.3);
    history.record(2, 1, 0.1);
    const ctx: SchedulerContext = {
      trials: known,
      trialsByNumber: new Map(known.map((t) => [t.number, t])),
      history,
      direction: 'minimize',
    };
    // 0.2 at rung 0 of bracket 0 is behind trial 2's 0.1: with trial 2 counted it is the second of three (keep 1).
    history.record(3, 1, 0.2);
    expect(scheduler.onReport(known[2]!, 1, 0.2, ctx)).toMatchObject({ type: 'stop', record: { rung: 0 } });
  });
});
