import type { Params, TrialRecord } from '../core/types.js';
import type { StudyConfig } from '../space/schema.js';
import { trialArtifactDir } from '../artifacts/layout.js';
import type { TrialTask } from '../training/protocol.js';

/**
 * What a trial of this study runs: a model trained on its dataset, a user's objective module, or (when the
 * study has neither) the inline objective function given to `autotune()`. Trained models save their artifacts
 * under `artifactRoot` when one is given.
 */
export function taskBuilder(config: StudyConfig, artifactRoot?: string): (trial: TrialRecord, params: Params) => TrialTask {
  const saveArtifacts = artifactRoot !== undefined && config.training.keepArtifacts > 0;
  return (trial, params) => {
    const base = { trialNumber: trial.number, seed: trial.seed, params };
    if (config.data) {
      return {
        ...base,
        kind: 'train',
        data: config.data,
        dataSeed: config.search.seed,
        training: config.training,
        objective: { metric: config.objective.metric, direction: config.objective.direction },
        ...(saveArtifacts ? { artifactDir: trialArtifactDir(artifactRoot, config.name, trial.number) } : {}),
      };
    }
    if (config.objective.module) return { ...base, kind: 'module', module: config.objective.module };
    return { ...base, kind: 'function' };
  };
}
