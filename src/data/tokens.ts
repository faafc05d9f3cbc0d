import { tokenize } from './text.js';

/** Id 0 pads a short text; id 1 stands for a word outside the vocabulary. */
export const PAD_ID = 0;
export const UNKNOWN_ID = 1;

/** A word vocabulary fitted on training texts, turning a text into a fixed-length sequence of token ids. */
export interface Tokenizer {
  /** Words in id order starting at id 2 (ids 0 and 1 are padding and unknown). */
  readonly vocabulary: readonly string[];
  readonly lowercase: boolean;
  readonly sequenceLength: number;
  /** Where a short text's padding goes. */
  readonly padding: 'pre' | 'post';
}

export interface TokenizerOptions {
  readonly maxVocabulary: number;
  readonly minCount: number;
  readonly lowercase: boolean;
  readonly sequenceLength: number;
  readonly padding: 'auto' | 'pre' | 'post';
}

/** Keeps the `maxVocabulary` words found in the most training texts (at least `minCount` of them). */
export function fitTokenizer(texts: readonly string[], options: TokenizerOptions): Tokenizer {
  const df = new Map<string, number>();
  for (const text of texts) for (const word of new Set(tokenize(text, options.lowercase, 1))) df.set(word, (df.get(word) ?? 0) + 1);
  const vocabulary = [...df]
    .filter(([, count]) => count >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocabulary)
    .map(([word]) => word);
  return {
    vocabulary,
    lowercase: options.lowercase,
    sequenceLength: options.sequenceLength,
    padding: options.padding === 'pre' ? 'pre' : 'post',
  };
}

/** Ids a model's embedding needs room for: the vocabulary plus padding and unknown. */
export function idCount(tokenizer: Tokenizer): number {
  return tokenizer.vocabulary.length + 2;
}

/** word → id, for encoding many texts. */
export function tokenIndex(tokenizer: Tokenizer): Map<string, number> {
  return new Map(tokenizer.vocabulary.map((word, i) => [word, i + 2]));
}

/**
 * Writes a text's first `sequenceLength` token ids at `offset`, padded with id 0. Padding before the words lets a
 * recurrent model end its reading on real words; padding after them keeps every word at the same position
 * whatever the text's length, which position embeddings need. The head of a text is kept because subjects and
 * openings carry most of the signal in messages and passages.
 */
export function encodeTokens(
  tokenizer: Tokenizer,
  text: string,
  out: Float64Array | Float32Array,
  offset: number,
  index: ReadonlyMap<string, number>,
): void {
  const words = tokenize(text, tokenizer.lowercase, 1).slice(0, tokenizer.sequenceLength);
  const pad = tokenizer.sequenceLength - words.length;
  const start = tokenizer.padding === 'pre' ? pad : 0;
  out.fill(PAD_ID, offset, offset + tokenizer.sequenceLength);
  words.forEach((word, i) => {
    out[offset + start + i] = index.get(word) ?? UNKNOWN_ID;
  });
}
