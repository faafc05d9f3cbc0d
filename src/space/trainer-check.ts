import type { ParamValue } from '../core/types.js';
import { compileSpace, type ParamNode } from './compile.js';
import { nearestName } from './nearest.js';
import type { InputConfig } from './input-schema.js';
import type { SpaceSpec } from './space-schema.js';
import type { SpaceIssue } from './space-limits.js';
import {
  ALL_TRAINER_NAMES,
  branchScope,
  DEFAULT_FAMILY,
  FAMILY_NAMES,
  isModelFamily,
  namesReadIn,
  OPTIMIZERS,
  SCHEDULE_PARAMS,
  SEARCHABLE_INPUT,
  SEARCHABLE_PREPROCESSING,
  type Scope,
} from './trainer-names.js';

type InputKind = InputConfig['kind'];

/** The values the trainer accepts for the parameters that choose a model, an optimizer or a schedule. */
const CHOSEN: Readonly<Record<string, { readonly what: string; readonly allowed: readonly string[] }>> = {
  model: { what: 'a model', allowed: FAMILY_NAMES },
  optimizer: { what: 'an optimizer', allowed: OPTIMIZERS },
  schedule: { what: 'a schedule', allowed: Object.keys(SCHEDULE_PARAMS) },
};

/**
 * The space of a study the built-in trainer trains, checked against what the trainer reads: a parameter no model
 * of the space reads where it sits is an issue naming its JSON path and the nearest name that is read there
 * (`space.learningrate: not a parameter of the trainer; did you mean learningRate?`), as is a model, optimizer or
 * schedule the trainer does not have, and a conditional choice on a parameter the trainer reads as a plain value.
 * Objective modules keep free-form spaces, so this is called for studies with `data` only.
 *
 * @example checkTrainerParams({ model: 'ridge', learningRate: 0.01 }, 'tabular') // [{ path: ['space', 'learningRate'], message: 'not a parameter of the ridge model' }]
 */
export function checkTrainerParams(spec: SpaceSpec, inputKind: InputKind): SpaceIssue[] {
  const issues: SpaceIssue[] = [];
  const nodes = compileSpace(spec).nodes;
  const modelNode = nodes.find((node) => node.name === 'model');
  const families = modelNode ? chosenValues(modelNode).filter(isModelFamily) : [DEFAULT_FAMILY];
  const topScopes = families.map((family): Scope => ({ kind: 'model', family }));
  for (const node of nodes) {
    if (node === modelNode) {
      checkChosen(node, issues);
      for (const [family, branch] of Object.entries(node.branches ?? {})) {
        if (isModelFamily(family)) checkLevel(branch, [{ kind: 'model', family }], inputKind, issues);
      }
    } else if (topScopes.length > 0) checkLevel([node], topScopes, inputKind, issues);
  }
  return issues;
}

/**
 * Checks parameters that sit in any of `scopes` (the top level holds one scope per model of the space): each must
 * be read in one of them, and a choice between branches must be one whose branches the trainer reads.
 */
function checkLevel(nodes: readonly ParamNode[], scopes: readonly Scope[], inputKind: InputKind, issues: SpaceIssue[]): void {
  for (const node of nodes) {
    const reading = scopes.find((scope) => namesReadIn(scope, inputKind).has(node.name));
    if (!reading) {
      issues.push({ path: [...node.specPath], message: notReadMessage(node.name, scopes, inputKind) });
      continue;
    }
    if (CHOSEN[node.name]) checkChosen(node, issues);
    for (const [branch, sub] of Object.entries(node.branches ?? {})) {
      const inner = branchScope(reading, node.name, branch);
      if (inner.kind === 'none') {
        issues.push({
          path: [...node.specPath, 'choice'],
          message: `the trainer reads ${node.name} as a plain value; use {"choice": [...]} without branches`,
        });
        break;
      }
      if (!CHOSEN[node.name] || CHOSEN[node.name]!.allowed.includes(branch)) checkLevel(sub, [inner], inputKind, issues);
    }
  }
}

/** The values a parameter may take: its choices (branch names included) or its constant. */
function chosenValues(node: ParamNode): readonly ParamValue[] {
  const d = node.distribution;
  return d.kind === 'categorical' ? d.choices : d.kind === 'const' ? [d.value] : [];
}

/** Reports values of `model`, `optimizer` or `schedule` the trainer does not have. */
function checkChosen(node: ParamNode, issues: SpaceIssue[]): void {
  const { what, allowed } = CHOSEN[node.name]!;
  const d = node.distribution;
  chosenValues(node).forEach((value, i) => {
    if (typeof value === 'string' && allowed.includes(value)) return;
    const path = d.kind !== 'categorical' ? node.specPath : [...node.specPath, 'choice', node.branches ? String(value) : i];
    const near = typeof value === 'string' ? nearestName(value, allowed) : undefined;
    issues.push({
      path: [...path],
      message: `${JSON.stringify(value)} is not ${what} (${allowed.join(', ')})${near ? `; did you mean ${near}?` : ''}`,
    });
  });
}

function notReadMessage(name: string, scopes: readonly Scope[], inputKind: InputKind): string {
  const readHere = new Set(scopes.flatMap((scope) => [...namesReadIn(scope, inputKind)]));
  const near = nearestName(name, readHere);
  const hint = near ? `; did you mean ${near}?` : '';
  if (!ALL_TRAINER_NAMES.has(name)) {
    // A name read elsewhere is still the likeliest intent (a ridge-only space with `learningrate`).
    const elsewhere = near ?? nearestName(name, ALL_TRAINER_NAMES);
    return `not a parameter of the trainer${elsewhere ? `; did you mean ${elsewhere}?` : ''}`;
  }
  const otherKinds = Object.entries({ ...SEARCHABLE_INPUT, tabular: SEARCHABLE_PREPROCESSING })
    .filter(([, names]) => names.includes(name))
    .map(([kind]) => kind);
  if (otherKinds.length > 0) return `a data setting of ${otherKinds.join(' or ')} input, and this study's input is ${inputKind}${hint}`;
  return `not a parameter of ${describeScopes(scopes)}${hint}`;
}

function describeScopes(scopes: readonly Scope[]): string {
  const first = scopes[0]!;
  switch (first.kind) {
    case 'model': {
      const names = scopes.map((scope) => (scope.kind === 'model' ? scope.family : ''));
      return `the ${names.join(' or ')} model${names.length > 1 ? 's' : ''}`;
    }
    case 'optimizer':
      return `the ${first.optimizer} optimizer`;
    case 'schedule':
      return `the ${first.schedule} schedule`;
    case 'augment':
      return 'augmentation';
    case 'none':
      return `a branch of ${first.under}`;
  }
}
