/** What models and data loaders need of a tokenizer, whichever implementation is behind it. */
export interface TextTokenizer {
  /** Number of ids (incl. special tokens). */
  readonly vocabSize: number;
  /** Token ids of a text (no special tokens added). */
  encode(text: string): number[];
  /** Text of token ids (special tokens skipped). */
  decode(ids: readonly number[]): string;
  /** Id of a token string (special tokens included), if it is in the vocabulary. */
  tokenToId(token: string): number | undefined;
}

/** Special tokens every autodidact text model uses; trained vocabularies put them at ids 0, 1, 2. */
export const SPECIAL_TOKENS = { pad: '<pad>', mask: '<mask>', eos: '<eos>' } as const;

/** Ids of the special tokens in a tokenizer, failing with the missing one's name. */
export function specialIds(tok: TextTokenizer): { pad: number; mask: number; eos: number } {
  const get = (t: string) => {
    const id = tok.tokenToId(t);
    if (id === undefined) throw new Error(`tokenizer lacks the special token ${t}`);
    return id;
  };
  return { pad: get(SPECIAL_TOKENS.pad), mask: get(SPECIAL_TOKENS.mask), eos: get(SPECIAL_TOKENS.eos) };
}
