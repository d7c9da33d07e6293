/** A Hugging Face tokenizer (tokenizers.js) as a {@link TextTokenizer}; loading one from a file is `load-tokenizer-json.ts`. */
import type { Tokenizer } from '@huggingface/tokenizers';
import type { TextTokenizer } from './text-tokenizer.js';

/** A tokenizers.js tokenizer behind the {@link TextTokenizer} interface. */
export class HfTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  constructor(readonly inner: Tokenizer) {
    let max = -1;
    for (const id of inner.get_vocab(true).values()) max = Math.max(max, id);
    for (const id of inner.get_added_tokens_decoder().keys()) max = Math.max(max, id);
    this.vocabSize = max + 1;
  }
  encode(text: string): number[] {
    return this.inner.encode(text, { add_special_tokens: false }).ids;
  }
  decode(ids: readonly number[]): string {
    return this.inner.decode([...ids], { skip_special_tokens: true });
  }
  tokenToId(token: string): number | undefined {
    return this.inner.token_to_id(token);
  }
}
