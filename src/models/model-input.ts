/** What a model reads: the shape of one example and, for text as token ids, how many ids there are. */
export interface ModelInput {
  readonly shape: readonly number[];
  /** Token ids lie in [0, vocabularySize); 0 when the input is real-valued features. */
  readonly vocabularySize: number;
}
