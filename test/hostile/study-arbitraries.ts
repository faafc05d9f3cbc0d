import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { repoPath } from '../helpers/tmp.js';

/** Every shipped example study, parsed: the seeds that mutations start from. */
export const shippedStudies: readonly { readonly file: string; readonly doc: unknown }[] = readdirSync(repoPath('search-spaces'))
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .map((file) => ({ file, doc: JSON.parse(readFileSync(repoPath('search-spaces', file), 'utf8')) as unknown }));

/** Values a careless or hostile author puts where something else belongs. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '0x10', '', ' ', 'null', 'true', '[0, 1]', '__proto__'),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, -0, 5e-324, 1e9, -1, 0),
  // Not JSON, but the autotune() API takes objects: NaN and Infinity can arrive that way.
  fc.double(),
  fc.integer({ min: 1, max: 300 }).map((depth) => nest(depth)),
  fc.array(fc.integer(), { maxLength: 300 }),
);

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { choice: { b: value } };
  return value;
}

const mutationKey = fc.oneof(
  fc.constantFrom('float', 'int', 'choice', 'const', 'log', 'step', 'type', 'units', 'layers', 'epochs', 'batchSize'),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'kind', 'input', 'split', 'sampler'),
  fc.string({ maxLength: 8 }),
);

type Op = { kind: 'drop' | 'replace' | 'insert' | 'retype' | 'wrap'; at: number; key: string; value: unknown };

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('drop', 'replace', 'insert', 'retype', 'wrap'),
  at: fc.nat(),
  key: mutationKey,
  value: hostileValue,
});

/** A shipped study with one to four mutations at random paths: dropped, replaced, inserted, retyped or wrapped values. */
export const mutatedStudy: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...shippedStudies), fc.array(op, { minLength: 1, maxLength: 4 }))
  .map(([{ doc }, ops]) => {
    const root = { doc: structuredClone(doc) };
    for (const o of ops) mutate(root, o);
    return root.doc;
  });

type Container = Record<string, unknown> | unknown[];
interface Slot {
  readonly parent: Container;
  readonly key: string | number;
}

/** Every slot of the document (a key of an object or an index of an array), the root included. */
function slots(root: { doc: unknown }): Slot[] {
  const out: Slot[] = [{ parent: root as unknown as Container, key: 'doc' }];
  for (let i = 0; i < out.length; i++) {
    const { parent, key } = out[i]!;
    const value = (parent as Record<string | number, unknown>)[key];
    if (Array.isArray(value)) value.forEach((_, k) => out.push({ parent: value, key: k }));
    else if (typeof value === 'object' && value !== null)
      for (const k of Object.keys(value)) out.push({ parent: value as Container, key: k });
  }
  return out;
}

function mutate(root: { doc: unknown }, o: Op): void {
  const all = slots(root);
  const { parent, key } = all[o.at % all.length]!;
  const target = parent as Record<string | number, unknown>;
  const value = target[key];
  switch (o.kind) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
      return;
    case 'replace':
      target[key] = o.value;
      return;
    case 'insert':
      if (Array.isArray(value)) value.splice(o.at % (value.length + 1), 0, o.value);
      // defineProperty: plain assignment of "__proto__" would set the prototype instead of adding a key, as JSON.parse does.
      else if (typeof value === 'object' && value !== null)
        Object.defineProperty(value, o.key, { value: o.value, enumerable: true, writable: true, configurable: true });
      else target[key] = o.value;
      return;
    case 'retype':
      target[key] = retype(value);
      return;
    case 'wrap':
      target[key] = o.at % 2 ? [value] : { [o.key]: value };
  }
}

function retype(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 'false';
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return {};
}

// A prefix keeps generated names clear of the capped names (units, layers, …) and of "type".
const paramName = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/).map((s) => `p_${s}`);
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const primitive = fc.oneof(finite, fc.string({ maxLength: 10 }), fc.boolean());

const floatParam = fc
  .tuple(finite, finite, fc.constantFrom('plain', 'log', 'step'), fc.integer({ min: 1, max: 10 }))
  .map(([a, b, mode, k]) => {
    const [low, high] = a <= b ? [a, b] : [b, a];
    if (mode === 'log') return { float: [Math.abs(low) + 1e-3, Math.abs(low) + 1e-3 + Math.abs(high - low)], log: true };
    if (mode === 'step' && (high - low) / k > 0) return { float: [low, high], step: (high - low) / k };
    return { float: [low, high] };
  });

const intParam = fc
  .tuple(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.integer({ min: 0, max: 1e6 }),
    fc.constantFrom('plain', 'log', 'step'),
    fc.integer({ min: 1, max: 10 }),
  )
  .map(([low, width, mode, k]) => {
    if (mode === 'log') return { int: [Math.abs(low) + 1, Math.abs(low) + 1 + width], log: true };
    if (mode === 'step' && width >= k) return { int: [low, low + width], step: k };
    return { int: [low, low + width] };
  });

const leafParam: fc.Arbitrary<unknown> = fc.oneof(
  floatParam,
  intParam,
  fc.array(primitive, { minLength: 1, maxLength: 20 }).map((choice) => ({ choice })),
  primitive.map((value) => ({ const: value })),
  primitive,
);

/** A valid search space: floats, ints (log or stepped), categories, constants and conditional branches up to 3 deep. */
export const validSpace: fc.Arbitrary<Record<string, unknown>> = fc
  .letrec((tie) => ({
    space: fc.dictionary(paramName, tie('param'), { minKeys: 1, maxKeys: 5 }),
    param: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      leafParam,
      fc.dictionary(paramName, tie('branchSpace'), { minKeys: 1, maxKeys: 3 }).map((choice) => ({ choice })),
    ),
    // A branch may hold no parameters of its own ("adam": {} in the examples).
    branchSpace: fc.dictionary(paramName, tie('param'), { minKeys: 0, maxKeys: 3 }),
  }))
  .space.filter((space) => countParams(space) <= 128) as fc.Arbitrary<Record<string, unknown>>;

function countParams(space: unknown): number {
  let n = 0;
  for (const param of Object.values(space as Record<string, unknown>)) {
    n++;
    const choice = (param as { choice?: unknown } | null)?.choice;
    if (typeof choice === 'object' && choice !== null && !Array.isArray(choice))
      for (const sub of Object.values(choice)) n += countParams(sub);
  }
  return n;
}
