import { allNodes, compileSpace, type ParamNode } from './compile.js';
import { CAPPED_PARAMETER_NAMES, LIMITS } from './limits.js';
import type { SpaceSpec } from './space-schema.js';

/** A problem found in a space, with its path relative to the study file. */
export interface SpaceIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Semantic checks zod's shapes cannot express: log bounds, steps, counts and the caps in {@link LIMITS}.
 * Returns an empty list for a space that is safe to search.
 */
export function checkSpaceLimits(spec: SpaceSpec): SpaceIssue[] {
  const issues: SpaceIssue[] = [];
  const nodes = allNodes(compileSpace(spec));
  if (nodes.length === 0) issues.push({ path: ['space'], message: 'the space has no parameters' });
  if (nodes.length > LIMITS.parameters) {
    issues.push({ path: ['space'], message: `${nodes.length} parameters; at most ${LIMITS.parameters} are allowed` });
  }
  for (const node of nodes) issues.push(...checkNode(node));
  return issues;
}

function checkNode(node: ParamNode): SpaceIssue[] {
  const issues: SpaceIssue[] = [];
  const at = (...rest: (string | number)[]) => ({ path: [...node.specPath, ...rest] });
  if (node.depth >= LIMITS.branchDepth) {
    issues.push({ ...at(), message: `branches nest ${node.depth + 1} deep; at most ${LIMITS.branchDepth} are allowed` });
  }
  const d = node.distribution;
  if (d.kind === 'float' || d.kind === 'int') {
    const key = d.kind;
    // Past these, sampling breaks: low + u·(high − low) overflows to Infinity, and beyond 2^53 consecutive integers
    // are no longer distinct numbers.
    if (!Number.isFinite(d.high - d.low))
      issues.push({ ...at(key), message: 'the range high − low is too wide to sample; narrow the bounds' });
    if (d.kind === 'int' && !(Number.isSafeInteger(d.low) && Number.isSafeInteger(d.high))) {
      issues.push({ ...at(key), message: `int bounds must be within ±${Number.MAX_SAFE_INTEGER}` });
    }
    if (d.log && d.low <= 0) issues.push({ ...at(key, 0), message: 'a log-scale parameter needs a lower bound > 0' });
    if (d.log && d.step !== undefined && (d.kind === 'float' || d.step !== 1)) {
      issues.push({ ...at('step'), message: 'log and step cannot be combined' });
    }
    if (d.step !== undefined && d.step > d.high - d.low && d.high > d.low) {
      issues.push({ ...at('step'), message: `step ${d.step} is larger than the range ${d.high - d.low}` });
    }
    const cap = capOf(node.name);
    if (cap !== undefined && d.high > cap.max) {
      issues.push({ ...at(key, 1), message: `${node.name} may be at most ${cap.max}` });
    }
    if (cap !== undefined && d.low < cap.min) {
      issues.push({ ...at(key, 0), message: `${node.name} must be at least ${cap.min}` });
    }
  } else if (d.kind === 'categorical' && !node.branches) {
    const cap = capOf(node.name);
    for (const [i, choice] of d.choices.entries()) {
      // "full" is the one non-number batch size: full-batch gradient descent.
      if (cap !== undefined && !(node.name === 'batchSize' && choice === 'full') && !withinCap(choice, cap)) {
        issues.push({ ...at('choice', i), message: `${node.name} must be a number in [${cap.min}, ${cap.max}]` });
      }
    }
  } else if (d.kind === 'const') {
    const cap = capOf(node.name);
    if (cap !== undefined && !withinCap(d.value, cap)) {
      issues.push({ ...at(), message: `${node.name} must be a number in [${cap.min}, ${cap.max}]` });
    }
  }
  if (node.branches) {
    for (const [branch, sub] of Object.entries(node.branches)) {
      if (sub.some((child) => child.name === 'type')) {
        issues.push({ ...at('choice', branch, 'type'), message: '"type" is reserved: it holds the branch name' });
      }
    }
  }
  return issues;
}

// Own keys only: a parameter named "toString" or "constructor" must not find Object.prototype's members as its cap.
function capOf(name: string): { readonly min: number; readonly max: number } | undefined {
  return Object.hasOwn(CAPPED_PARAMETER_NAMES, name) ? CAPPED_PARAMETER_NAMES[name] : undefined;
}

function withinCap(value: unknown, cap: { readonly min: number; readonly max: number }): boolean {
  return typeof value === 'number' && value >= cap.min && value <= cap.max;
}
