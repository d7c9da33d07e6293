/**
 * Byte-level BPE tokenizer (Sennrich et al., 2016; byte-level as GPT-2): a piece is split into
 * byte characters and the learned merges applied lowest rank first. Saves and loads Hugging
 * Face's `tokenizer.json` format, so a vocabulary trained here also loads in tokenizers.js,
 * transformers.js and the Python `tokenizers` library.
 */
import { readTextFile, writeTextFile } from '#text-file';
import { ConfigError, DataFormatError } from '@autodidact/core';
import { byteLevelPieces, fromByteLevel } from './byte-level.js';
import type { TextTokenizer } from './text-tokenizer.js';

/** The JSON of a byte-level BPE `tokenizer.json` (the fields we write and read). */
export interface TokenizerJson {
  version: string;
  added_tokens: {
    id: number;
    content: string;
    special: boolean;
    single_word: boolean;
    lstrip: boolean;
    rstrip: boolean;
    normalized: boolean;
  }[];
  normalizer: { type: string } | null;
  pre_tokenizer: { type: string; add_prefix_space?: boolean; trim_offsets?: boolean; use_regex?: boolean } | null;
  post_processor: null;
  decoder: { type: string; [option: string]: unknown } | null;
  model: {
    type: 'BPE';
    vocab: Record<string, number>;
    merges: (string | [string, string])[];
    [option: string]: unknown;
  };
  [field: string]: unknown;
}

/** A trained byte-level BPE vocabulary: ids, merges in rank order, special tokens. */
export class BpeTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  private readonly ranks = new Map<string, number>();
  private readonly idToToken: string[];
  private readonly special: Set<number>;
  private readonly cache = new Map<string, number[]>();

  constructor(
    readonly vocab: ReadonlyMap<string, number>,
    readonly merges: readonly (readonly [string, string])[],
    readonly specialTokens: readonly string[],
  ) {
    for (const [i, [a, b]] of merges.entries()) this.ranks.set(`${a} ${b}`, i);
    this.idToToken = [];
    for (const [t, id] of vocab) this.idToToken[id] = t;
    this.vocabSize = this.idToToken.length;
    this.special = new Set(specialTokens.map((t) => vocab.get(t)!).filter((v) => v !== undefined));
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  /** Byte-level token strings of a text. */
  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const piece of byteLevelPieces(text.normalize('NFC'))) out.push(...this.bpe(piece));
    return out;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const piece of byteLevelPieces(text.normalize('NFC'))) {
      let ids = this.cache.get(piece);
      if (!ids) {
        ids = this.bpe(piece).map((t) => this.vocab.get(t)!);
        if (this.cache.size < 100_000) this.cache.set(piece, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    let s = '';
    for (const id of ids) if (!this.special.has(id) && this.idToToken[id] !== undefined) s += this.idToToken[id];
    return fromByteLevel(s);
  }

  private bpe(piece: string): string[] {
    let parts = [...piece];
    while (parts.length > 1) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = this.ranks.get(`${parts[i]} ${parts[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const [a, b] = this.merges[bestRank]!;
      parts = applyMerge(parts, a, b);
    }
    return parts;
  }

  /** Hugging Face `tokenizer.json` form. */
  toJSON(): TokenizerJson {
    const flags = { single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: this.specialTokens.map((t) => ({ id: this.vocab.get(t)!, content: t, ...flags })),
      normalizer: { type: 'NFC' },
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: null,
      decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries([...this.vocab].sort((x, y) => x[1] - y[1])),
        merges: this.merges.map(([a, b]) => [a, b] as [string, string]),
      },
    };
  }

  /** Writes `tokenizer.json`. */
  async save(path: string): Promise<void> {
    await writeTextFile(path, JSON.stringify(this.toJSON()));
  }

  /** Reads a byte-level BPE `tokenizer.json` (as written by {@link save} or HF `tokenizers`). */
  static fromJSON(json: TokenizerJson, file = 'tokenizer.json'): BpeTokenizer {
    if (json?.model?.type !== 'BPE' || typeof json.model.vocab !== 'object' || !Array.isArray(json.model.merges)) {
      throw new DataFormatError('model: expected a BPE model with vocab and merges', { file });
    }
    const vocab = new Map<string, number>(Object.entries(json.model.vocab));
    const merges = json.model.merges.map((m) => (typeof m === 'string' ? (m.split(' ') as [string, string]) : m));
    const specials = (json.added_tokens ?? []).filter((t) => t.special).map((t) => t.content);
    for (const t of json.added_tokens ?? []) vocab.set(t.content, t.id);
    return new BpeTokenizer(vocab, merges, specials);
  }

  /** Loads a file written by {@link save}. */
  static async load(path: string): Promise<BpeTokenizer> {
    let json: TokenizerJson;
    try {
      json = JSON.parse(await readTextFile(path)) as TokenizerJson;
    } catch (cause) {
      if (cause instanceof ConfigError) throw cause; // no file system (a browser build)
      throw new DataFormatError('not a readable JSON tokenizer', { file: path, cause });
    }
    return BpeTokenizer.fromJSON(json, path);
  }
}

/** `parts` with every adjacent `a`, `b` (left to right, not overlapping) merged into `a + b`. */
export function applyMerge(parts: readonly string[], a: string, b: string): string[] {
  const next: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i < parts.length - 1 && parts[i] === a && parts[i + 1] === b) {
      next.push(a + b);
      i++;
    } else next.push(parts[i]!);
  }
  return next;
}
