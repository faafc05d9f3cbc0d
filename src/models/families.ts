import type { ParamSpec, SpaceSpec } from '../space/schema.js';
import { DEFAULT_FAMILY, isModelFamily, MODEL_FAMILIES } from '../space/trainer-names.js';

/** A model family a space can produce, and the JSON path of the study file that names it. */
export interface FamilyInSpace {
  readonly name: string;
  readonly path: string;
}

/**
 * The model families a space's `model` parameter can take (as readHyperparameters reads it): a plain value, a
 * constant, a choice of names, or the branches of a conditional choice; a space without `model` trains an MLP.
 *
 * @example modelFamiliesIn({ model: { choice: { mlp: {}, ridge: {} } } }) // [{ name: 'mlp', path: 'space.model.choice.mlp' }, …]
 */
export function modelFamiliesIn(space: SpaceSpec): FamilyInSpace[] {
  const spec: ParamSpec | undefined = space.model;
  if (spec === undefined) return [{ name: DEFAULT_FAMILY, path: 'space' }];
  if (typeof spec !== 'object') return [{ name: String(spec), path: 'space.model' }];
  if ('const' in spec) return [{ name: String(spec.const), path: 'space.model.const' }];
  if ('choice' in spec) {
    return Array.isArray(spec.choice)
      ? spec.choice.map((value, i) => ({ name: String(value), path: `space.model.choice[${i}]` }))
      : Object.keys(spec.choice).map((name) => ({ name, path: `space.model.choice.${name}` }));
  }
  // A numeric range is no family name; readHyperparameters refuses it per trial, as it refuses any unknown name.
  return [];
}

/** How a model family is fitted: by gradient steps per epoch, or in closed form (ridge), reported as one epoch. */
export type Fitting = 'gradient' | 'closed-form';

/** How a family fits (MODEL_FAMILIES declares it): ridge and the baselines in closed form, every other by gradient steps. */
export function fittingOf(family: string): Fitting {
  return isModelFamily(family) && !MODEL_FAMILIES[family].gradient ? 'closed-form' : 'gradient';
}

/** Families that only fit a regression target. */
export const REGRESSION_ONLY_FAMILIES: readonly string[] = ['ridge', 'mean', 'seasonalNaive'];

/** Families that only fit classes. */
export const CLASSIFICATION_ONLY_FAMILIES: readonly string[] = ['logistic', 'majority'];
