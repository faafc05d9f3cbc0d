import type { FlatParams, ParamValue } from '../core/types.js';
import { compileSpace, type ActivityRule, type CompiledSpace, type ParamNode } from './compile.js';
import type { InputConfig, StudyConfig } from './schema.js';
import {
  branchScope,
  DEFAULT_FAMILY,
  DEFAULT_MLP_LAYERS,
  DEFAULT_OPTIMIZER,
  isModelFamily,
  MODEL_FAMILIES,
  namesReadIn,
  OPTIMIZER_ONLY,
  optimizerReads,
  type ModelFamily,
  type Scope,
} from './trainer-names.js';

/**
 * The compiled space of a study; one the built-in trainer trains (it has `data`) carries the trainer's activity
 * rule, so a parameter the trial's model does not read is not sampled for it, not stored and not modelled.
 *
 * @example compileStudySpace(loadStudyFile('search-spaces/air-passengers-rnn.json').config).isRead !== undefined
 */
export function compileStudySpace(config: StudyConfig): CompiledSpace {
  return compileSpace(config.space, config.data ? trainerActivity(config.data.input.kind) : undefined);
}

/**
 * What the trainer reads for one trial, by the declarations of src/space/trainer-names.ts: a parameter is read
 * when the trial's model family reads its name where it sits (the top level or the model's branch, an optimizer,
 * schedule or augmentation branch), and, for the names that depend on a value, when an MLP has hidden layers
 * (`units`, `activation`, `dropout`… with `layers` > 0) or the optimizer has momentum (sgd, rmsprop).
 *
 * @example trainerActivity('tabular')(learningRateNode, { model: 'ridge' }) // false
 */
export function trainerActivity(inputKind: InputConfig['kind']): ActivityRule {
  // A node's scope, and whether its name is read there, depend only on the node and the family: worked out once
  // each (the GP decodes thousands of candidates per suggestion).
  const placed = new Map<string, { readonly scope: Scope; readonly readThere: boolean }>();
  return (node, params) => {
    const family = familyOf(params.model);
    if (family === undefined) return true; // the trial fails on its model type, with the reason; nothing to drop
    if (node.depth === 0 && node.name === 'model') return true;
    const key = `${family}\0${node.path}`;
    let place = placed.get(key);
    if (place === undefined) {
      const scope = scopeOf(node, family);
      place = { scope, readThere: namesReadIn(scope, inputKind).has(node.name) };
      placed.set(key, place);
    }
    return place.readThere && readByValues(node.name, place.scope, params);
  };
}

function familyOf(model: ParamValue | undefined): ModelFamily | undefined {
  if (model === undefined) return DEFAULT_FAMILY;
  return isModelFamily(model) ? model : undefined;
}

/** The scope a node sits in, from the branches on its path (`space.model.choice.mlp.optimizer.choice.sgd.momentum`). */
function scopeOf(node: ParamNode, family: ModelFamily): Scope {
  let scope: Scope = { kind: 'model', family };
  const at = node.specPath;
  for (let i = 1; i + 2 < at.length; i += 3) {
    const [name, branch] = [String(at[i]), String(at[i + 2])];
    if (!(i === 1 && name === 'model')) scope = branchScope(scope, name, branch);
  }
  return scope;
}

/** The conditions on values: hidden-layer parameters need hidden layers, momentum an optimizer that has it. */
function readByValues(name: string, scope: Scope, params: FlatParams): boolean {
  if (scope.kind !== 'model') return true;
  // The trainer reads the model's branch over the top level ({ ...params, ...params.model }).
  const value = (key: string) => params[`model.${scope.family}.${key}`] ?? params[key];
  if (scope.family === 'mlp' && (MODEL_FAMILIES.mlp.hidden as readonly string[]).includes(name)) {
    const layers = value('layers') ?? DEFAULT_MLP_LAYERS;
    return typeof layers !== 'number' || layers > 0;
  }
  if (Object.hasOwn(OPTIMIZER_ONLY, name)) return optimizerReads(String(value('optimizer') ?? DEFAULT_OPTIMIZER), name);
  return true;
}
