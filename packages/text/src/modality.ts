/**
 * The text modality for the CLI: `autodidact pretrain text --method mlm|clm --data <files>`,
 * `embed`/`probe` on class folders of .txt or JSONL `{text,label}`, and `autodidact yarowsky`.
 * Samples are windows of token ids `[contextLength]` (int32, padded with the pad id).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import {
  DataFormatError,
  type Dataset,
  type EncoderConfig,
  env,
  type LoadOptions,
  type Modality,
  type Rng,
  TensorDataset,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import { activateTokenizerJson, activeTokenizer, setActiveTokenizer } from './data/active-tokenizer.js';
import { tokenizerForCorpus } from './data/corpus-tokenizer.js';
import { readLabeledTexts } from './data/labeled-texts.js';
import { corpusWindows, truncatedWindows } from './data/token-windows.js';
import { methods } from './methods/registry.js';
import { type TextEncoderConfig, TransformerTextEncoder } from './models/transformer-text-encoder.js';
import { yarowskyCommand } from './yarowsky/yarowsky-command.js';

/** Window length of the CLI's datasets (tokens). */
export const DEFAULT_CONTEXT_LENGTH = 128;

async function tokenizerFor(path: string) {
  const t = activeTokenizer() ?? (await tokenizerForCorpus([path]));
  setActiveTokenizer(t);
  return t;
}

// Windows match a restored encoder's context length; new models use the default.
let lastContextLength: number | undefined;
function contextLength(): number {
  return lastContextLength ?? DEFAULT_CONTEXT_LENGTH;
}

/** The text modality (`@autodidact/text`). */
export const modality: Modality<tf.Tensor> = {
  name: 'text',
  description: 'text: byte-level BPE, masked and causal transformer LMs, Yarowsky bootstrapping',
  methods,
  async loadUnlabeled(path: string, options: LoadOptions = {}): Promise<Dataset<tf.Tensor>> {
    const t = await tokenizerFor(path);
    return corpusWindows([path], t.tokenizer, {
      contextLength: contextLength(),
      eosId: t.eosId,
      padId: t.padId,
      limit: options.limit,
    });
  },
  async loadLabeled(path: string, options: LoadOptions = {}): Promise<Dataset<tf.Tensor>> {
    const data = await readLabeledTexts(path, options);
    if (data.skipped > 0 && !env.quiet)
      process.stderr.write(`autodidact: skipped ${data.skipped} unreadable samples in ${path}\n`);
    const t = activeTokenizer() ?? (await tokenizerForCorpus([path]));
    setActiveTokenizer(t);
    const ctx = contextLength();
    const ids = data.texts.map((s) => t.tokenizer.encode(s.slice(0, ctx * 16)));
    const flat = truncatedWindows(ids, { contextLength: ctx, eosId: t.eosId, padId: t.padId });
    return new TensorDataset(tf.tensor2d(flat, [data.texts.length, ctx], 'int32'), data.labels, data.classNames, path);
  },
  createEncoder(config: EncoderConfig, rng: Rng): TransformerTextEncoder {
    const c = config as TextEncoderConfig;
    if (c.kind !== 'transformer') throw new DataFormatError(`unknown text encoder kind '${c.kind}'`);
    if (c.tokenizer) activateTokenizerJson(c.tokenizer);
    lastContextLength = c.contextLength;
    return new TransformerTextEncoder(c, rng);
  },
  async defaultData() {
    return sotuPartySplit();
  },
  commands: { yarowsky: yarowskyCommand },
};

/**
 * State of the Union speeches by party, Democrat vs Republican, as class folders of links:
 * `<data>/sotu-party/{train,test}/{democrat,republican}`; every fourth speech (by year) is test.
 */
export async function sotuPartySplit(): Promise<{ train: string; test: string; description: string }> {
  const data = env.dataDir ?? join(import.meta.dirname, '../../../data');
  const src = join(data, 'sotu');
  if (!existsSync(src))
    throw new DataFormatError('State of the Union speeches missing; run npx autodidact data fetch sotu', { file: src });
  const out = join(data, 'sotu-party');
  if (!existsSync(join(out, 'done'))) {
    const files = (await readdir(src)).filter((f) => /_[dr]\.txt$/.test(f)).sort();
    for (const [i, f] of files.entries()) {
      const split = i % 4 === 3 ? 'test' : 'train';
      const cls = f.endsWith('_d.txt') ? 'democrat' : 'republican';
      const dir = join(out, split, cls);
      await mkdir(dir, { recursive: true });
      if (!existsSync(join(dir, f))) await symlink(join(src, f), join(dir, f));
    }
    await mkdir(join(out, 'done'), { recursive: true });
  }
  return {
    train: join(out, 'train'),
    test: join(out, 'test'),
    description: 'State of the Union speeches, Democrat vs Republican (every 4th speech held out)',
  };
}
