import type { ParamValue, TrialRecord, TrialState } from '../../core/types.js';
import { pageBy } from '../../storage/read-models.js';
import type { TrialPage } from '../../storage/storage.js';
import { rankableValue } from '../../core/rank.js';

/** Columns of a trial that need no name: `number`, `value`, `state`, `epochs` (last step), `duration` (ms). */
const BUILT_IN = ['number', 'value', 'state', 'epochs', 'duration'] as const;
type BuiltIn = (typeof BUILT_IN)[number];

export type TrialField = { readonly kind: BuiltIn } | { readonly kind: 'param' | 'metric'; readonly name: string };

/** The parameter and final-metric names a study's trials hold: what a field may name. */
export interface FieldNames {
  readonly params: ReadonlySet<string>;
  readonly metrics: ReadonlySet<string>;
}

export function fieldNames(trials: readonly Pick<TrialRecord, 'params' | 'metrics'>[]): FieldNames {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const t of trials) {
    for (const k of Object.keys(t.params)) params.add(k);
    for (const k of Object.keys(t.metrics)) metrics.add(k);
  }
  return { params, metrics };
}

/**
 * `params.NAME`, `metrics.NAME`, a built-in column, or a bare name: a parameter first, then a final metric (prefix
 * one to choose when both exist). A string is the reason the text names nothing.
 */
export function parseField(text: string, names: FieldNames): TrialField | string {
  const name = text.trim();
  if (name.startsWith('params.') && names.params.has(name.slice(7))) return { kind: 'param', name: name.slice(7) };
  if (name.startsWith('metrics.') && names.metrics.has(name.slice(8))) return { kind: 'metric', name: name.slice(8) };
  if ((BUILT_IN as readonly string[]).includes(name)) return { kind: name as BuiltIn };
  if (names.params.has(name)) return { kind: 'param', name };
  if (names.metrics.has(name)) return { kind: 'metric', name };
  return `no parameter, metric or column "${name}" in this study (columns: ${BUILT_IN.join(', ')})`;
}

export function fieldValue(t: TrialRecord, field: TrialField): ParamValue | null {
  switch (field.kind) {
    case 'number':
      return t.number;
    case 'value':
      return rankableValue(t);
    case 'state':
      return t.state;
    case 'epochs':
      return t.lastStep;
    case 'duration':
      return t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null;
    case 'param':
      return t.params[field.name] ?? null;
    case 'metric': {
      const v = t.metrics[field.name];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
  }
}

const OPERATORS = ['<=', '>=', '!=', '=', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];

export interface Condition {
  readonly field: TrialField;
  readonly op: Operator;
  /** The text after the operator, trimmed; compared as a number when it reads as one. */
  readonly operand: string;
}

export interface Issue {
  readonly path: string;
  readonly message: string;
}

const asNumber = (text: string): number | null => (text !== '' && Number.isFinite(Number(text)) ? Number(text) : null);

/** `lr < 0.01, activation = relu`: conditions joined by commas, all of which a trial must meet. */
export function parseWhere(text: string, names: FieldNames, path = 'query.where'): { conditions: Condition[]; issues: Issue[] } {
  const conditions: Condition[] = [];
  const issues: Issue[] = [];
  text.split(',').forEach((part, i) => {
    const at = `${path}[${i}]`;
    const match = /^(.*?)(<=|>=|!=|=|<|>)(.*)$/s.exec(part);
    if (!match) return void issues.push({ path: at, message: `"${part.trim()}" is not FIELD OP VALUE (OP one of ${OPERATORS.join(' ')})` });
    const [, left = '', op = '=', right = ''] = match;
    const field = parseField(left, names);
    if (typeof field === 'string') return void issues.push({ path: at, message: field });
    const operand = right.trim();
    if (op !== '=' && op !== '!=' && asNumber(operand) === null)
      return void issues.push({ path: at, message: `"${op}" needs a number, not "${operand}"` });
    conditions.push({ field, op: op as Operator, operand });
  });
  return { conditions, issues };
}

/** Whether a trial meets a condition. A trial without the field (an inactive parameter, no value) meets only `!=`. */
export function meets(t: TrialRecord, c: Condition): boolean {
  const v = fieldValue(t, c.field);
  if (v === null) return c.op === '!=';
  const n = asNumber(c.operand);
  const equal = typeof v === 'number' && n !== null ? v === n : String(v) === c.operand;
  if (c.op === '=') return equal;
  if (c.op === '!=') return !equal;
  if (typeof v !== 'number' || n === null) return false;
  return c.op === '<' ? v < n : c.op === '<=' ? v <= n : c.op === '>' ? v > n : v >= n;
}

export interface AnyFieldQuery {
  readonly states?: readonly TrialState[];
  readonly where: readonly Condition[];
  readonly sort: TrialField;
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

/** A page of trials filtered and sorted by any field, with the ordering rules of storage's `pageTrials`. */
export function pageByAnyField(all: readonly TrialRecord[], query: AnyFieldQuery): TrialPage {
  return pageBy(
    all,
    (t) => (!query.states || query.states.includes(t.state)) && query.where.every((c) => meets(t, c)),
    (t) => fieldValue(t, query.sort),
    query,
  );
}
