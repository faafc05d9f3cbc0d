import type { FlatParams, ParamValue } from '../core/types.js';
import type { RawTable } from '../data/csv.js';
import { dataForTrial } from '../data/overrides.js';
import { prepareDataset } from '../data/prepare.js';
import type { PreparedDataset } from '../data/prepared-dataset.js';
import { modelInputProblem } from '../models/build.js';
import { estimateParameters } from '../models/estimate.js';
import { modelOutputOf } from '../models/model-output.js';
import { readHyperparameters } from './hyperparameters.js';
import { compileSpace, type ParamNode } from '../space/compile.js';
import { nestParams, walkActive } from '../space/params.js';
import type { DataConfig, StudyConfig } from '../space/schema.js';
import { modelInputOf } from './model-input.js';

/** The configuration of the space with the most trainable parameters, as far as the search below finds. */
export interface LargestModel {
  readonly parameters: number;
  /** Flat params of that configuration (`model`, `model.mlp.units`, …). */
  readonly params: FlatParams;
}

/** Coordinate sweeps: each tries every candidate value of every active parameter once. */
const MAX_SWEEPS = 4;

/**
 * The largest model the space can ask for, by {@link estimateParameters} on the study's own data. Each numeric
 * parameter is tried at its bounds (the largest value on its step grid), each choice at every option, branches
 * included. The search starts from every parameter at its upper bound and then changes one parameter at a time to
 * whichever candidate gives more parameters, until a full sweep changes nothing: exact when the count grows (or
 * shrinks) monotonically in each parameter, as it does in units, layers, filters, blocks, kernel size, stride,
 * vocabulary and sequence length. Data settings a trial searches (`maxVocabulary`, `lookback`, …) are prepared as
 * trials would prepare them. Configurations a model cannot train on (a CNN on a table) are skipped; null when none
 * is trainable.
 *
 * @example largestModel(config, validateStudy(file).table!) // { parameters: 68_099, params: { layers: 2, units: 256, … } }
 */
export function largestModel(config: StudyConfig & { data: DataConfig }, table: RawTable, testTable?: RawTable): LargestModel | null {
  const space = compileSpace(config.space);
  const prepared = new Map<string, PreparedDataset>();
  const datasetFor = (data: DataConfig) => {
    const key = JSON.stringify(data);
    let dataset = prepared.get(key);
    if (!dataset) {
      // With the held-out test file, as trials prepare it: its categories count in the encodings' widths.
      dataset = prepareDataset(table, data, config.search.seed, data.split.folds ? 0 : undefined, testTable);
      prepared.set(key, dataset);
    }
    return dataset;
  };
  // The study's own data must prepare: its errors are the study file's (a stray word in a numeric column).
  datasetFor(config.data);
  const size = (flat: FlatParams): number => {
    try {
      const { model, architecture } = readHyperparameters(nestParams(space, flat), config.training.epochs);
      const dataset = datasetFor(dataForTrial(config.data, architecture, model.type));
      const input = modelInputOf(dataset);
      const output = modelOutputOf(dataset);
      return modelInputProblem(model, input, output) ? -1 : estimateParameters(model, input, output);
    } catch {
      // A configuration a trial would fail on (a searched setting out of range) is not a model.
      return -1;
    }
  };

  const chosen = new Map<string, ParamValue>();
  const active = () => walkActive(space, (node) => chosen.get(node.path) ?? upperCandidate(node));
  let best = active();
  let bestSize = size(best);
  for (let sweep = 0, changed = true; changed && sweep < MAX_SWEEPS; sweep++) {
    changed = false;
    for (const node of activeNodes(space.nodes, best)) {
      for (const value of candidates(node)) {
        if (value === best[node.path]) continue;
        const previous = chosen.get(node.path);
        chosen.set(node.path, value);
        const trial = active();
        const trialSize = size(trial);
        if (trialSize > bestSize) {
          best = trial;
          bestSize = trialSize;
          changed = true;
        } else if (previous === undefined) chosen.delete(node.path);
        else chosen.set(node.path, previous);
      }
    }
  }
  return bestSize < 0 ? null : { parameters: bestSize, params: best };
}

/** The nodes active in `params`, depth first. */
function activeNodes(nodes: readonly ParamNode[], params: FlatParams): ParamNode[] {
  return nodes.flatMap((node) => {
    const branch = node.branches?.[String(params[node.path])];
    return [node, ...(branch ? activeNodes(branch, params) : [])];
  });
}

/** The values tried for a parameter: both bounds of a range (on its step grid), every option of a choice. */
function candidates(node: ParamNode): ParamValue[] {
  const d = node.distribution;
  switch (d.kind) {
    case 'const':
      return [d.value];
    case 'categorical':
      return [...d.choices];
    case 'int':
    case 'float': {
      const high = d.step ? d.low + Math.floor((d.high - d.low) / d.step + 1e-9) * d.step : d.high;
      return high === d.low ? [d.low] : [d.low, high];
    }
  }
}

function upperCandidate(node: ParamNode): ParamValue {
  const values = candidates(node);
  return values[values.length - 1] as ParamValue;
}
