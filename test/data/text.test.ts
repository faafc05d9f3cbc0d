import { describe, expect, it } from 'vitest';
import { readJsonRows } from '../../src/data/json.js';
import { loadDataset } from '../../src/data/cache.js';
import { fitTfidf, tfidfRow, tokenize, vocabularyIndex } from '../../src/data/text.js';
import { parseStudy } from '../../src/space/index.js';
import { repoPath } from '../helpers/tmp.js';

describe('text input', () => {
  it('reads JSON Lines as a table, keys in order of first appearance', () => {
    const table = readJsonRows(repoPath('datasets/spam_assassin.jsonl'));
    expect(table.columns).toEqual(['text', 'label', 'group']);
    expect(table.rows).toHaveLength(3400);
    expect(table.rows.filter((r) => r[1] === 'spam')).toHaveLength(1055);
  });

  it('tokenizes words and word pairs', () => {
    // As scikit-learn's default token pattern: words of two or more word characters, so "don't" gives "don".
    expect(tokenize("Don't PANIC, it's 42!", true, 1)).toEqual(['don', 'panic', 'it', '42']);
    expect(tokenize('aa bb cc', false, 2)).toEqual(['aa', 'bb', 'cc', 'aa bb', 'bb cc']);
    expect(tokenize('a b I', false, 1)).toEqual([]);
  });

  it('fits TF-IDF as scikit-learn does (smooth idf, sublinear tf, L2 rows)', () => {
    const texts = ['cat sat', 'cat cat dog', 'bird'];
    const v = fitTfidf(texts, { maxVocabulary: 10, minCount: 1, lowercase: true, ngrams: 1 });
    expect(v.vocabulary).toEqual(['cat', 'bird', 'dog', 'sat']);
    expect(v.idf[0]).toBeCloseTo(Math.log(4 / 3) + 1, 12);
    expect(v.idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 12);
    const row = new Float64Array(4);
    tfidfRow(v, 'cat cat dog', row, 0, vocabularyIndex(v));
    const cat = (1 + Math.log(2)) * (v.idf[0] as number);
    const dog = v.idf[2] as number;
    expect(row[0]).toBeCloseTo(cat / Math.hypot(cat, dog), 12);
    expect(Math.hypot(...row)).toBeCloseTo(1, 12);
    expect(fitTfidf(texts, { maxVocabulary: 10, minCount: 2, lowercase: true, ngrams: 1 }).vocabulary).toEqual(['cat']);
  });

  it('builds the feature matrix from the listed text column, with the vocabulary of the training split', () => {
    const config = parseStudy({
      name: 's',
      data: {
        source: repoPath('datasets/spam_assassin.jsonl'),
        target: 'label',
        task: 'classification',
        features: ['text'],
        input: { kind: 'text', maxVocabulary: 2000 },
      },
      objective: { metric: 'val_loss', direction: 'minimize' },
      space: { loss: 'auto' },
    });
    const dataset = loadDataset(config.data!, 0);
    expect(dataset.nFeatures).toBe(2000);
    // A word seen only outside the training split cannot be in the vocabulary: every term's training df ≥ 2.
    const vectorizer = dataset.vectorizer!;
    expect(vectorizer.idf.every((idf) => idf <= Math.log((1 + dataset.train.rows) / 3) + 1 + 1e-12)).toBe(true);
    expect(dataset.train.rows + dataset.validation.rows + dataset.test.rows).toBe(3400);
    expect(dataset.vectorizer?.vocabulary).toHaveLength(2000);
  });
});
