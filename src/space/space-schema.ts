// The search space's part of the study file, on its own so that compiling and checking a space (compile.ts,
// space-limits.ts) need not import the whole study schema, which runs those checks.
import { z } from 'zod';
import { LIMITS } from './limits.js';

const primitive = z.union([z.number(), z.string(), z.boolean()]);
const bounds = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => low <= high, { message: 'lower bound must not exceed upper bound' });

const floatSpec = z.strictObject({
  float: bounds,
  log: z.boolean().optional().describe('Sample uniformly in log space (bounds must be > 0).'),
  step: z.number().positive().optional().describe('Quantize to low + k·step.'),
});

const intSpec = z.strictObject({
  int: bounds.refine(([low, high]) => Number.isInteger(low) && Number.isInteger(high), {
    message: 'int bounds must be integers',
  }),
  log: z.boolean().optional(),
  step: z.int().positive().optional(),
});

const choiceSpec = z.strictObject({
  choice: z.array(primitive).min(1).max(LIMITS.choices).describe('Categorical: one of these values.'),
});

const constSpec = z.strictObject({ const: primitive });

/** One parameter of a search space. Conditional branches hold sub-spaces of their own, to any depth. */
export type ParamSpec =
  | z.infer<typeof floatSpec>
  | z.infer<typeof intSpec>
  | z.infer<typeof choiceSpec>
  | z.infer<typeof constSpec>
  | { choice: { [branch: string]: SpaceSpec } }
  | number
  | string
  | boolean;

/** A search space: parameter name → parameter. */
export type SpaceSpec = { [name: string]: ParamSpec };

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are identifiers (letters, digits, _)');

export const spaceSchema: z.ZodType<SpaceSpec> = z.lazy(() =>
  z.record(
    paramName,
    z.union([
      floatSpec,
      intSpec,
      choiceSpec,
      z.strictObject({
        choice: z
          .record(paramName, spaceSchema)
          .refine((branches) => Object.keys(branches).length > 0, { message: 'a conditional choice needs a branch' })
          .describe('Conditional: each branch name carries its own sub-space.'),
      }),
      constSpec,
      // Listed one by one rather than as `primitive`, so a mistaken object is not reported as a nested union.
      z.number(),
      z.string(),
      z.boolean(),
    ]),
  ),
);
