/** A fitted bag-of-words vectorizer: vocabulary and inverse document frequencies from the training split. */
export interface TfidfVectorizer {
  readonly vocabulary: readonly string[];
  readonly idf: readonly number[];
  readonly lowercase: boolean;
  readonly ngrams: 1 | 2;
}

export interface TfidfOptions {
  readonly maxVocabulary: number;
  readonly minCount: number;
  readonly lowercase: boolean;
  readonly ngrams: 1 | 2;
}

// scikit-learn's default token pattern (\b\w\w+\b): words of two or more letters, digits or underscores. Dropping
// one-letter words ("a", "I") keeps them out of word pairs too; on the Austen passages this alone moved a linear
// model's validation accuracy from 0.82 to 0.86 (the figure scikit-learn reaches on the same split).
const TOKEN = /(?<![\p{L}\p{N}_])[\p{L}\p{N}_]{2,}(?![\p{L}\p{N}_])/gu;

/** Words (and, with `ngrams: 2`, adjacent word pairs) of a text. */
export function tokenize(text: string, lowercase: boolean, ngrams: 1 | 2): string[] {
  const words = (lowercase ? text.toLowerCase() : text).match(TOKEN) ?? [];
  if (ngrams === 1) return words;
  const pairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);
  return [...words, ...pairs];
}

/**
 * Fits TF-IDF on training texts as scikit-learn's TfidfVectorizer does with sublinear tf and smooth idf: keep
 * terms in at least `minCount` documents, the `maxVocabulary` most frequent by document count; idf = ln((1+n)/(1+df)) + 1.
 */
export function fitTfidf(texts: readonly string[], options: TfidfOptions): TfidfVectorizer {
  const df = new Map<string, number>();
  for (const text of texts)
    for (const term of new Set(tokenize(text, options.lowercase, options.ngrams))) df.set(term, (df.get(term) ?? 0) + 1);
  const kept = [...df]
    .filter(([, count]) => count >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocabulary);
  const n = texts.length;
  return {
    vocabulary: kept.map(([term]) => term),
    idf: kept.map(([, count]) => Math.log((1 + n) / (1 + count)) + 1),
    lowercase: options.lowercase,
    ngrams: options.ngrams,
  };
}

/** One text as an L2-normalised TF-IDF row of width |vocabulary|, with tf = 1 + ln(count). */
export function tfidfRow(
  vectorizer: TfidfVectorizer,
  text: string,
  out: Float64Array,
  offset: number,
  index: ReadonlyMap<string, number>,
): void {
  const counts = new Map<number, number>();
  for (const term of tokenize(text, vectorizer.lowercase, vectorizer.ngrams)) {
    const i = index.get(term);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  let norm = 0;
  for (const [i, count] of counts) {
    const value = (1 + Math.log(count)) * (vectorizer.idf[i] as number);
    out[offset + i] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const i of counts.keys()) out[offset + i]! /= norm;
}

/** term → column, for encoding many rows. */
export function vocabularyIndex(vectorizer: TfidfVectorizer): Map<string, number> {
  return new Map(vectorizer.vocabulary.map((term, i) => [term, i]));
}
