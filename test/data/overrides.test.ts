import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/cache.js';
import { dataForTrial } from '../../src/data/overrides.js';
import { parseStudy } from '../../src/space/index.js';
import { repoPath } from '../helpers/tmp.js';

function penguins() {
  return parseStudy({
    name: 'penguins',
    data: { source: repoPath('datasets/penguins.csv'), target: 'species', task: 'classification' },
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    space: { scaling: { choice: ['standard', 'minmax'] } },
  }).data!;
}

describe('data settings searched per trial', () => {
  it('prepares the table with the trial’s preprocessing choices', () => {
    const data = penguins();
    const minmax = loadDataset(dataForTrial(data, { scaling: 'minmax', encoding: 'ordinal' }, 'mlp'), 1);
    const standard = loadDataset(dataForTrial(data, {}, 'mlp'), 1);
    const column = minmax.featureNames.indexOf('bill_length_mm');
    const values = Array.from({ length: minmax.train.rows }, (_, r) => minmax.train.x[r * minmax.nFeatures + column] as number);
    expect(Math.min(...values)).toBeCloseTo(0, 6);
    expect(Math.max(...values)).toBeCloseTo(1, 6);
    // Ordinal: one input per categorical column instead of one per category.
    expect(minmax.nFeatures).toBeLessThan(standard.nFeatures);
    expect(minmax.featureNames).toContain('island');
  });

  it('fails the trial on a searched value the schema refuses, naming its JSON path', () => {
    expect(() => dataForTrial(penguins(), { impute: 'mode' }, 'mlp')).toThrow(/data\.preprocessing\.impute/);
  });

  it('resolves the text representation and padding by the model that reads it', () => {
    const data = parseStudy({
      name: 'spam',
      data: {
        source: repoPath('datasets/spam_assassin.jsonl'),
        target: 'label',
        task: 'classification',
        features: ['text'],
        input: { kind: 'text' },
      },
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      space: { sequenceLength: { int: [16, 64] } },
    }).data!;
    expect(() => dataForTrial(data, { sequenceLength: 2 }, 'transformer')).toThrow(/data\.input\.sequenceLength/);
    expect(dataForTrial(data, {}, 'mlp').input).toMatchObject({ representation: 'tfidf' });
    expect(dataForTrial(data, {}, 'rnn').input).toMatchObject({ representation: 'tokens', padding: 'pre' });
    expect(dataForTrial(data, { sequenceLength: 64 }, 'transformer').input).toMatchObject({
      representation: 'tokens',
      padding: 'post',
      sequenceLength: 64,
    });
  });
});
