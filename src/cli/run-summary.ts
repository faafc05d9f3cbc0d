import type { AutotuneResult } from '../api/autotune.js';
import type { StudyConfig } from '../space/schema.js';
import { baselineLines } from './baseline-lift.js';
import { formatTestMetrics, formatTrialValue, printTopTrials } from './format.js';
import { printEnsembleOutcome } from './inspect.js';

/**
 * What `run` and `worker` print when their search ends: the study's state, its best trial, its lift over the
 * baselines, the top ten, the ensemble.
 */
export function printRunSummary(result: AutotuneResult, config: StudyConfig): void {
  const { best, study } = result;
  const windows = best.metrics.backtest_windows;
  const over = windows !== undefined && windows > 1 ? ` (mean ± std over ${windows} backtests)` : '';
  console.log(
    `\nstudy "${study.name}" ${study.state} (${study.stopReason}) in ${study.storage}\n` +
      `best: trial ${best.number}, ${config.objective.metric} = ${formatTrialValue({ values: [best.value], metrics: best.metrics })}${over}`,
  );
  console.log(`params: ${JSON.stringify(best.params)}`);
  const tested = formatTestMetrics(best.metrics);
  if (tested) console.log(`test split: ${tested}`);
  for (const line of baselineLines(result.trials, config.objective.metric, config.objective.direction)) console.log(line);
  printTopTrials(result.trials, config.objective.direction, 10);
  printEnsembleOutcome(result.ensemble, result.ensembleError);
}
