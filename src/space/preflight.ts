import { formatPath } from './errors.js';
import { LIMITS } from './limits.js';

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly key?: string | number;
  readonly parent?: Frame;
}

/**
 * Checks the space for what must be caught before zod sees it, as a `path: message` line (undefined when all is
 * well). The space is the one recursive part of the schema, so only it needs this:
 *
 * - nesting deeper than `max` containers (counted from the document's root). zod's space schema calls itself once
 *   per level, so a space nested a thousand deep would overflow the stack before any issue is reported; this walk is
 *   iterative. A cyclic object (from the API) counts as infinitely deep.
 * - a `"__proto__"` key. zod's records skip it without an issue, so a parameter of that name would vanish silently.
 */
export function preflightIssue(input: unknown, max: number = LIMITS.jsonDepth): string | undefined {
  if (typeof input !== 'object' || input === null || !Object.hasOwn(input, 'space')) return undefined;
  const root: Frame = { value: input, depth: 0 };
  const stack: Frame[] = [{ value: (input as { space: unknown }).space, depth: 1, key: 'space', parent: root }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= max) return `${formatPath(pathOf(frame))}: nested more than ${max} levels deep`;
    const isArray = Array.isArray(value);
    for (const key of Object.keys(value)) {
      const child = { value: (value as Record<string, unknown>)[key], depth: depth + 1, key: isArray ? Number(key) : key, parent: frame };
      if (key === '__proto__') return `${formatPath(pathOf(child))}: "__proto__" is not allowed as a key`;
      stack.push(child);
    }
  }
  return undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}
