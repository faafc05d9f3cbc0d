import { Study } from '../../src/controller/study.js';
import { parseStudy, type SpaceSpec, type StudyConfig } from '../../src/space/index.js';
import { MemoryStorage, type Storage } from '../../src/storage/index.js';

/** Every sampler configuration the project offers, for contract and matrix tests. */
export const SAMPLER_CONFIGS: Record<string, unknown> = {
  random: 'random',
  grid: 'grid',
  qmc: 'qmc',
  tpe: { type: 'tpe', startupTrials: 5 },
  'tpe-multivariate': { type: 'tpe', multivariate: true, startupTrials: 5 },
  gp: { type: 'gp', startupTrials: 5, candidates: 128 },
};

export const SCHEDULER_CONFIGS: Record<string, unknown> = {
  fifo: 'fifo',
  median: { type: 'median', startupTrials: 3 },
  asha: { type: 'asha', minEpochs: 1, maxEpochs: 9, eta: 3 },
  hyperband: { type: 'hyperband', minEpochs: 1, maxEpochs: 9, eta: 3 },
};

/** A space with every kind of parameter: log float, stepped float, int, categorical, constant, and branches. */
export const MIXED_SPACE: SpaceSpec = {
  lr: { float: [1e-4, 1e-1], log: true },
  dropout: { float: [0, 0.5], step: 0.1 },
  units: { int: [8, 256], log: true },
  activation: { choice: ['relu', 'tanh', 'elu'] },
  epochs: 9,
  model: { choice: { mlp: { layers: { int: [1, 4] } }, linear: {} } },
};

/** A configuration of a study with an in-process objective. */
export function inlineConfig(fields: {
  space: SpaceSpec;
  sampler?: unknown;
  scheduler?: unknown;
  seed?: number;
  trials?: number;
  name?: string;
}): StudyConfig {
  return parseStudy(
    {
      name: fields.name ?? 'contract',
      objective: { direction: 'minimize' },
      space: fields.space,
      training: { epochs: 9 },
      search: {
        sampler: fields.sampler ?? 'random',
        scheduler: fields.scheduler ?? 'fifo',
        seed: fields.seed ?? 0,
        trials: fields.trials ?? 20,
      },
    },
    undefined,
    { inlineObjective: true },
  );
}

/** Opens a study on fresh in-memory storage unless storage is given. */
export function openStudy(config: StudyConfig, storage: Storage = new MemoryStorage()): Promise<Study> {
  return Study.open(storage, config);
}

/** A smooth, deterministic loss over MIXED_SPACE (minimum near lr 1e-2.5, 64 units, relu, 2 layers). */
export function mixedLoss(p: Record<string, unknown>): number {
  const model = p.model as { type: string; layers?: number } | string;
  const layers = typeof model === 'object' && model.type === 'mlp' ? (model.layers ?? 1) : 0;
  return (
    (Math.log10(p.lr as number) + 2.5) ** 2 +
    (Math.log2(p.units as number) - 6) ** 2 / 4 +
    ((p.dropout as number) - 0.2) ** 2 +
    (p.activation === 'relu' ? 0 : 0.3) +
    (layers - 2) ** 2 / 10
  );
}
