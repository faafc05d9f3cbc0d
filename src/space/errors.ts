import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * Formats zod issues as `path: message` lines. For a union, zod reports every alternative; we keep only the
 * alternative the user evidently meant (the one that recognised the object's keys), so that
 * `{ "choice": "8,16" }` reads `space.filters.choice: expected array` rather than five unrelated complaints.
 */
export function formatIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const { best, score } = pickIntendedAlternative(issue.errors);
      if (score < NO_ALTERNATIVE_FITS) lines.push(...formatIssues(best, path));
      else lines.push(`${formatPath(path)}: ${noFitMessage(issue.errors, path)}`);
      continue;
    }
    lines.push(`${formatPath(path)}: ${cleanMessage(issue)}`);
  }
  return [...new Set(lines)];
}

const NO_ALTERNATIVE_FITS = 20;

function noFitMessage(alternatives: readonly (readonly Issue[])[], path: readonly PropertyKey[]): string {
  const unknown = new Set(alternatives.flat().flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [])));
  const unknownText = unknown.size > 0 ? ` (unknown key ${[...unknown].map((k) => `"${k}"`).join(', ')})` : '';
  const hint =
    path[0] === 'space'
      ? '; a parameter is {"float": [low, high]}, {"int": [low, high]}, {"choice": [...]}, {"choice": {"branch": {...}}}, {"const": value} or a plain value'
      : '';
  return `matches none of the accepted forms${unknownText}${hint}`;
}

function pickIntendedAlternative(alternatives: readonly (readonly Issue[])[]): { best: readonly Issue[]; score: number } {
  let best = alternatives[0] ?? [];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const alternative of alternatives) {
    const score = alternative.reduce((sum, issue) => sum + issuePenalty(issue), 0);
    if (score < bestScore) {
      best = alternative;
      bestScore = score;
    }
  }
  return { best, score: bestScore };
}

// An alternative that wanted a different key, or a different kind of value at the root, is the wrong reading.
function issuePenalty(issue: Issue): number {
  if (issue.code === 'unrecognized_keys') return 10;
  if (issue.code === 'invalid_type' && issue.path.length === 0) return 20;
  if (issue.input === undefined) return 10; // a key this alternative requires is absent
  // Rejecting a key's value outright is a weaker match than an error found deeper inside it.
  if (issue.code === 'invalid_type' && issue.path.length === 1) return 5;
  return 1;
}

function cleanMessage(issue: Issue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** `['space', 'model', 'choice', 0]` → `space.model.choice[0]`; the root is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
