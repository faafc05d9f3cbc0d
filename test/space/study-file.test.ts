import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadStudyFile, parseStudy, studyJsonSchemaText } from '../../src/space/index.js';
import { TPE_DEFAULTS } from '../../src/samplers/tpe/sampler.js';
import { repoPath } from '../helpers/tmp.js';

const valid = {
  name: 'ok',
  objective: { module: './f.mjs', direction: 'minimize' },
  space: { x: { float: [0, 1] } },
};

function issuesOf(patch: Record<string, unknown>): readonly string[] {
  try {
    parseStudy({ ...valid, ...patch });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error('expected the study to be rejected');
}

describe('study file validation', () => {
  // Each row: a mistake, and the JSON path plus words the error must contain.
  const mistakes: [string, Record<string, unknown>, string][] = [
    [
      'categorical given a string',
      { space: { model: { choice: { cnn: { filters: { choice: '8,16' } } } } } },
      'space.model.choice.cnn.filters.choice: expected array',
    ],
    ['bounds reversed', { space: { lr: { float: [0.1, 0.01] } } }, 'space.lr.float: lower bound must not exceed upper bound'],
    ['misspelt kind', { space: { lr: { flaot: [0, 1] } } }, 'space.lr: matches none of the accepted forms (unknown key "flaot")'],
    ['misspelt option', { space: { lr: { float: [0, 1], lgo: true } } }, 'space.lr: unknown key "lgo"'],
    [
      'log scale from zero',
      { space: { lr: { float: [0, 1], log: true } } },
      'space.lr.float[0]: a log-scale parameter needs a lower bound > 0',
    ],
    ['non-integer int bounds', { space: { n: { int: [1.5, 4] } } }, 'space.n.int: int bounds must be integers'],
    ['too many layers', { space: { layers: { int: [1, 100] } } }, 'space.layers.int[1]: layers may be at most 32'],
    [
      'too many units in a branch',
      { space: { model: { choice: { mlp: { units: { choice: [64, 100000] } } } } } },
      'space.model.choice.mlp.units.choice[1]: units must be a number in [1, 8192]',
    ],
    ['empty space', { space: {} }, 'space: the space has no parameters'],
    ['bad parameter name', { space: { 'learning-rate': { float: [0, 1] } } }, 'space.learning-rate'],
    ['bad direction', { objective: { module: './f.mjs', direction: 'up' } }, 'objective.direction'],
    ['negative trials', { search: { trials: -3 } }, 'search.trials: Too small'],
    ['too many trials', { search: { trials: 10_000_000 } }, 'search.trials: Too big'],
    ['unknown sampler', { search: { sampler: 'bayes' } }, 'search.sampler'],
    ['epochs over the cap', { training: { epochs: 5000 } }, 'training.epochs: Too big'],
    ['nothing to optimize', { objective: { direction: 'minimize' } }, 'data: a study needs "data" (train models) or "objective.module"'],
    ['unknown top-level key', { sapce: {} }, '(root): unknown key "sapce"'],
    [
      'missing target column name',
      { objective: { direction: 'maximize', metric: 'val_accuracy' }, data: { source: 'x.csv', task: 'classification' } },
      'data.target',
    ],
    [
      'validation fraction of 1',
      { objective: { direction: 'maximize' }, data: { source: 'x.csv', target: 'y', task: 'regression', split: { validation: 1 } } },
      'data.split.validation',
    ],
    ['step wider than the range', { space: { d: { float: [0, 0.5], step: 1 } } }, 'space.d.step: step 1 is larger than the range'],
    ['reserved name inside a branch', { space: { m: { choice: { a: { type: 1 } } } } }, 'space.m.choice.a.type: "type" is reserved'],
  ];

  it.each(mistakes)('%s → names the JSON path', (_what, patch, expected) => {
    const issues = issuesOf(patch);
    expect(
      issues.some((line) => line.includes(expected)),
      `${issues.join('\n')}\nshould include: ${expected}`,
    ).toBe(true);
  });

  it('names the file in the error message of a bad file', () => {
    const file = repoPath('test/fixtures/bad-study.json');
    expect(() => loadStudyFile(file)).toThrow(
      /bad-study\.json: invalid study definition\n\s+space\.units\.int\[1\]: units may be at most 8192/,
    );
  });

  it('reports malformed JSON with the file name', () => {
    expect(() => loadStudyFile(repoPath('test/fixtures/not-json.json'))).toThrow(/not-json\.json: not valid JSON/);
  });

  it('fills defaults and accepts every shipped example', () => {
    const dir = repoPath('search-spaces');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json');
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const { config } = loadStudyFile(`${dir}/${file}`);
      expect(config.search.trials).toBeGreaterThan(0);
      if (config.data) expect(config.data.source.startsWith('/')).toBe(true);
    }
    const parsed = parseStudy(valid);
    expect(parsed.search).toMatchObject({ sampler: 'random', trials: 20, parallelism: 1, seed: 0, maxConsecutiveFailures: 10 });
    expect(parsed.training).toEqual({
      epochs: 20,
      maxParameters: 5_000_000,
      backend: 'auto',
      keepArtifacts: 50,
      workerMemoryMb: 4096,
      workerMaxTrials: 50,
    });
    expect(parsed.search.staleAfterSeconds).toBe(60);
  });

  it('keeps search-spaces/schema.json in step with the zod schema (run `npm run schema` to refresh)', () => {
    expect(readFileSync(repoPath('search-spaces/schema.json'), 'utf8')).toBe(studyJsonSchemaText());
  });

  it("describes TPE's start-up as the sampler runs it by default", () => {
    expect(TPE_DEFAULTS.startup).toBe('random');
    const text = studyJsonSchemaText();
    expect(text).toContain('Random trials (quasi-random with startup: \\"qmc\\") before the model takes over.');
    expect(text).not.toMatch(/"description": "Quasi-random trials before the model takes over."/);
  });

  it('generates a JSON Schema that describes conditional spaces', () => {
    const schema = JSON.parse(studyJsonSchemaText());
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'objective', 'space']));
    expect(JSON.stringify(schema)).toContain('Conditional: each branch name carries its own sub-space.');
  });
});
