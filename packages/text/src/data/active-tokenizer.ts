/**
 * The tokenizer the text modality currently works with. The CLI builds a method from a sample
 * shape only, and restores an encoder before it loads labelled data, so the tokenizer travels
 * beside them: `loadUnlabeled` sets it (trained on the corpus, or a `tokenizer.json` found in
 * the data folder), `createEncoder` sets it from the saved encoder config, and methods and
 * loaders read it here.
 */
import { ConfigError } from '@autodidact/core';
import { BpeTokenizer, type TokenizerJson } from '../tokenize/bpe-tokenizer.js';
import { SPECIAL_TOKENS, type TextTokenizer } from '../tokenize/text-tokenizer.js';

/** A tokenizer with its JSON form (saved into encoder configs) and special ids. */
export interface ActiveTokenizer {
  tokenizer: TextTokenizer;
  json?: TokenizerJson;
  padId: number;
  maskId: number;
  eosId: number;
}

let current: ActiveTokenizer | undefined;

/** Wraps a tokenizer, finding its special ids (`<pad>`, `<mask>`, `<eos>`, or BERT's / GPT-2's). */
export function describeTokenizer(tokenizer: TextTokenizer, json?: TokenizerJson): ActiveTokenizer {
  const find = (...names: string[]) => {
    for (const n of names) {
      const id = tokenizer.tokenToId(n);
      if (id !== undefined) return id;
    }
    return undefined;
  };
  const eos = find(SPECIAL_TOKENS.eos, '</s>', '<|endoftext|>', '[SEP]');
  const pad = find(SPECIAL_TOKENS.pad, '[PAD]', '<|padding|>') ?? eos;
  const mask = find(SPECIAL_TOKENS.mask, '[MASK]') ?? pad;
  if (pad === undefined || eos === undefined || mask === undefined) {
    throw new ConfigError('the tokenizer needs a padding and an end-of-text token (<pad>/[PAD], <eos>/</s>/[SEP])', {
      field: 'tokenizer',
    });
  }
  return { tokenizer, json, padId: pad, maskId: mask, eosId: eos };
}

/** Makes `t` the tokenizer of what follows. */
export function setActiveTokenizer(t: ActiveTokenizer): void {
  current = t;
}

/** The tokenizer set by the last load or encoder restore, if any. */
export function activeTokenizer(): ActiveTokenizer | undefined {
  return current;
}

/** Sets the active tokenizer from a saved `tokenizer.json` object. */
export function activateTokenizerJson(json: TokenizerJson): ActiveTokenizer {
  const t = describeTokenizer(BpeTokenizer.fromJSON(json), json);
  setActiveTokenizer(t);
  return t;
}
