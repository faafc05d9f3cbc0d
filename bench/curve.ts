// A black-box problem as a learning curve, so that schedulers prune and samplers learn from pruned trials: the
// sampler-benchmark mode `--pruned` (bench/samplers.ts). A trial reports STEPS noisy values that fall towards
// f(x); ASHA stops the ones behind at its rungs. Noise makes a curve non-monotone, so a pruned trial's best report
// and its last one differ — the choice the mode measures.
import type { Study } from '../src/controller/study.js';
import { forkSeed, Rng } from '../src/core/rng.js';
import type { Problem } from './problems.js';

/** What a pruned trial is stored with, and so what TPE ranks it by among trials stopped at the same step. */
export type PrunedValue = 'best' | 'last';

/**
 * ASHA over `steps` steps. Pruned trials rank after every complete one, so their order matters only while fewer
 * trials complete than TPE's good side holds (γ: 10 %, at most 25): with 9 steps and η = 3 a third complete and it
 * never does; 27 steps (rungs 1, 3, 9) or a larger η bring the share down.
 */
export const curveScheduler = (eta: number, steps: number) => ({ type: 'asha', minEpochs: 1, maxEpochs: steps, eta }) as const;
/** Early steps overstate the regret up to 3×; each report is off by a log-normal factor (σ = 0.25). */
const EARLY = 2;
const NOISE = 0.25;

/** The value reported at `step` by a configuration whose final value is `truth`. */
function reported(truth: number, optimum: number, step: number, rng: Rng): number {
  const gap = (truth - optimum) * (1 + EARLY * Math.exp(-(step - 1) / 3));
  return optimum + gap * Math.exp(NOISE * rng.normal());
}

/**
 * Runs `trials` curves of `steps` reports through the study; a complete trial is stored with its best report (as a trained model is,
 * with that epoch's weights), a pruned one with its best or its last. Regret after each trial counts configurations
 * trained to the end, by their true value: a pruned trial is never the answer.
 */
export async function runCurve(study: Study, problem: Problem, seed: number, trials: number, pruned: PrunedValue, steps: number) {
  const curve: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  const started = performance.now();
  for (let i = 0; i < trials; i++) {
    const asked = await study.ask();
    if (!asked) break;
    const truth = problem.f(asked.trial.params as Record<string, number>);
    const rng = new Rng(forkSeed(seed, 'curve', asked.trial.number));
    let bestReport = Number.POSITIVE_INFINITY;
    let last = Number.NaN;
    let stoppedAt: number | null = null;
    for (let step = 1; step <= steps && stoppedAt === null; step++) {
      last = reported(truth, problem.optimum, step, rng);
      bestReport = Math.min(bestReport, last);
      if ((await study.report(asked.trial, step, { value: last })).type === 'stop') stoppedAt = step;
    }
    if (stoppedAt === null) {
      await study.tell(asked.trial, bestReport);
      best = Math.min(best, truth);
    } else {
      const value = pruned === 'best' ? bestReport : last;
      await study.tell(asked.trial, { type: 'pruned', step: stoppedAt, value, metrics: { value }, backend: 'inline' });
    }
    curve.push(best - problem.optimum);
  }
  return { curve, seconds: (performance.now() - started) / 1000 };
}
