/**
 * The text modality for the CLI: `autodidact pretrain text --method mlm|clm --data <files>`,
 * `embed`/`probe` on class folders of .txt or JSONL `{text,label}`, and `autodidact yarowsky`.
 * Samples are windows of token ids `[contextLength]` (int32, padded with the pad id).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  type AnyDataset,
  type BadFiles,
  badFilesFor,
  chooseDataMode,
  ConfigError,
  DataFormatError,
  type Dataset,
  type EncoderConfig,
  dataDir,
  defineModality,
  type LoaderOptionSpec,
  loadLog,
  type LoadOptions,
  type Modality,
  noFilesError,
  openableFiles,
  openDataset,
  type Rng,
  TensorDataset,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import {
  type ActiveTokenizer,
  activateTokenizerJson,
  activeTokenizer,
  describeTokenizer,
  setActiveTokenizer,
} from './data/active-tokenizer.js';
import { tokenizerForCorpus } from './data/corpus-tokenizer.js';
import { readLabeledTexts } from './data/labeled-texts.js';
import { tokenFileFor } from './data/token-file.js';
import { TOKEN_WINDOW_READER, type TokenWindowConfig, windowCount } from './data/token-window-reader.js';
import { truncatedWindows } from './data/token-windows.js';
import { methods } from './methods/registry.js';
import { type TextEncoderConfig, TransformerTextEncoder } from './models/transformer-text-encoder.js';
import type { TokenizerJson } from './tokenize/bpe-tokenizer.js';
import { listCorpusFiles } from './tokenize/corpus-reader.js';
import { loadTokenizerJson } from './tokenize/load-tokenizer-json.js';
import { yarowskyCommand } from './yarowsky/yarowsky-command.js';

/** Window length of the CLI's datasets (tokens). */
export const DEFAULT_CONTEXT_LENGTH = 128;

/** Files a text folder is read for (gzipped text is read as it streams). */
export const TEXT_EXTENSIONS: readonly string[] = ['.txt', '.txt.gz'];

/** The text loader's options: `--context-length`, `--vocab-size` and `--tokenizer` on the CLI. */
export const TEXT_LOADER_OPTIONS: readonly LoaderOptionSpec[] = [
  {
    name: 'contextLength',
    type: 'integer',
    min: 2,
    max: 8192,
    placeholder: 'tokens',
    description:
      'tokens per sample: the corpus is cut into windows of this length; a labelled text keeps its first ones',
    defaultText: `a trained encoder's; else ${DEFAULT_CONTEXT_LENGTH}`,
    encoderDecides: true,
  },
  {
    name: 'vocabSize',
    type: 'integer',
    min: 260,
    max: 1_000_000,
    default: 4096,
    description: 'vocabulary of the byte-level BPE trained on the corpus when it has no tokenizer.json',
  },
  {
    name: 'tokenizer',
    type: 'string',
    placeholder: 'file',
    description: 'a tokenizer.json (Hugging Face format) to use instead of training one',
    defaultText: "a trained encoder's; else tokenizer.json in the data folder; else BPE trained on the corpus",
  },
];

// Windows match a restored encoder's context length; new models use the default.
let lastContextLength: number | undefined;

/** The window length of a load: the flag (which must fit the encoder), else the encoder's, else the default. */
function contextLengthOf(options: LoadOptions): number {
  const given = options.loader?.contextLength as number | undefined;
  const enc =
    options.encoder?.modality === 'text' ? (options.encoder.inputShape?.[0] as number | undefined) : undefined;
  if (given !== undefined && enc !== undefined && given !== enc) {
    throw new ConfigError(
      `the encoder reads windows of ${enc} tokens; --context-length ${given} does not fit it (leave the flag out to use the encoder's)`,
      { field: '--context-length' },
    );
  }
  return given ?? enc ?? lastContextLength ?? DEFAULT_CONTEXT_LENGTH;
}

async function tokenizerFromFile(file: string): Promise<ActiveTokenizer> {
  const hf = await loadTokenizerJson(file);
  return describeTokenizer(hf, JSON.parse(await readFile(file, 'utf8')) as TokenizerJson);
}

/**
 * The tokenizer of a load: the active one (a restored encoder's), else `--tokenizer`, else a
 * tokenizer.json beside the data, else BPE trained on `files`. A file that fails while the
 * vocabulary is trained is a bad file like any other: skipped (and training restarted without it)
 * or, with `strict`, the end of the load.
 */
async function tokenizerFor(
  root: string,
  files: string[],
  options: LoadOptions,
  bad: BadFiles,
): Promise<ActiveTokenizer> {
  const active = activeTokenizer();
  if (active) return active;
  const given = options.loader?.tokenizer as string | undefined;
  if (given) return tokenizerFromFile(given);
  const beside = statSync(root).isDirectory() ? join(root, 'tokenizer.json') : join(dirname(root), 'tokenizer.json');
  if (existsSync(beside)) return tokenizerFromFile(beside);
  const vocabSize = options.loader?.vocabSize as number | undefined;
  for (;;) {
    if (files.length === 0) throw noText(root, bad);
    try {
      return await tokenizerForCorpus(files, { vocabSize });
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
      if (err.file && files.includes(err.file)) {
        bad.consider();
        bad.skip(err);
        files.splice(files.indexOf(err.file), 1);
        continue;
      }
      if (!err.file) {
        throw new DataFormatError(`${err.message}: its ${files.length} text file(s) hold only blank lines`, {
          file: root,
        });
      }
      throw err;
    }
  }
}

/** The error for a path with nothing to read: the path and what was looked for, or what was bad. */
function noText(root: string, bad: BadFiles): DataFormatError {
  return noFilesError(
    root,
    bad,
    `no text to train a vocabulary on: no ${TEXT_EXTENSIONS.map((e) => `*${e}`).join(' or ')} files (folders are searched recursively)`,
  );
}

/** The corpus files under `path` that pass the first checks (exist, regular, not empty); the rest are bad files. */
async function corpusFiles(path: string, options: LoadOptions, bad: BadFiles): Promise<string[]> {
  const files = await listCorpusFiles([path], TEXT_EXTENSIONS, { badFiles: bad, log: loadLog(options) });
  return openableFiles(files, bad);
}

/**
 * The windows of a corpus, over its token file (tokenised once, see data/token-file.ts): read by
 * data workers while training (`stream`), or the token file held in memory and read on the
 * training thread (`memory`). `auto` keeps in memory what decodes to at most 1 GiB of windows.
 * Both modes run the same reader on the same ids, so a run is bit for bit the same in either.
 */
async function openCorpus(
  path: string,
  files: string[],
  t: ActiveTokenizer,
  contextLength: number,
  options: LoadOptions,
  bad: BadFiles,
): Promise<AnyDataset<tf.Tensor>> {
  const log = loadLog(options);
  const tokens = await tokenFileFor(path, files, t, { badFiles: bad, say: log });
  bad.assertAnyRead(path, tokens.files.length);
  const windows = windowCount(tokens.count, contextLength, options.limit);
  if (windows === 0) throw new DataFormatError('the corpus holds no text', { file: path });
  const mode = chooseDataMode(options.dataMode ?? 'auto', windows * contextLength * 4);
  const config: TokenWindowConfig = {
    tokens: tokens.file,
    dtype: tokens.dtype,
    count: tokens.count,
    contextLength,
    padId: t.padId,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(mode === 'memory' ? { inMemory: true } : {}),
  };
  const ds = await openDataset<tf.Tensor>({
    reader: { module: TOKEN_WINDOW_READER, config },
    mode: 'stream',
    workers: mode === 'memory' ? 0 : undefined,
    strict: options.strict,
    source: path,
    say: (line) => log(mode === 'memory' ? line.replace(/streamed from disk$/, 'in memory') : line),
    onSkip: (s) => log(`skipped ${s.message}`),
  });
  bad.report(path);
  return ds;
}

/** Unlabelled text: a corpus of files tokenized into windows. */
async function loadUnlabeled(path: string, options: LoadOptions): Promise<AnyDataset<tf.Tensor>> {
  const contextLength = contextLengthOf(options);
  const bad = badFilesFor(options, 'text files');
  const files = await corpusFiles(path, options, bad);
  const t = await tokenizerFor(path, files, options, bad);
  setActiveTokenizer(t);
  if (files.length === 0) throw noText(path, bad);
  return openCorpus(path, files, t, contextLength, options, bad);
}

/** Labelled text: one subfolder of text files per class, each text truncated to one window. */
async function loadLabeled(path: string, options: LoadOptions): Promise<Dataset<tf.Tensor>> {
  const ctx = contextLengthOf(options);
  const bad = badFilesFor(options, 'text files');
  const data = await readLabeledTexts(path, {
    limit: options.limit,
    badFiles: bad,
    log: loadLog(options),
    extensions: TEXT_EXTENSIONS,
  });
  bad.report(path);
  const t = await tokenizerFor(path, [...data.files], options, bad);
  setActiveTokenizer(t);
  const ids = data.texts.map((s) => t.tokenizer.encode(s.slice(0, ctx * 16)));
  const flat = truncatedWindows(ids, { contextLength: ctx, eosId: t.eosId, padId: t.padId });
  return new TensorDataset(tf.tensor2d(flat, [data.texts.length, ctx], 'int32'), data.labels, data.classNames, path);
}

/** The text modality (`@autodidact/text`). */
export const modality: Modality<tf.Tensor> = defineModality({
  name: 'text',
  description: 'text: byte-level BPE, masked and causal transformer LMs, Yarowsky bootstrapping',
  methods,
  loaderOptions: TEXT_LOADER_OPTIONS,
  load: (path: string, options: LoadOptions, labelled: boolean) =>
    labelled ? loadLabeled(path, options) : loadUnlabeled(path, options),
  createEncoder(config: EncoderConfig, rng: Rng): TransformerTextEncoder {
    const c = config as TextEncoderConfig;
    if (c.kind !== 'transformer') throw new DataFormatError(`unknown text encoder kind '${c.kind}'`);
    if (c.tokenizer) activateTokenizerJson(c.tokenizer);
    lastContextLength = c.contextLength;
    return new TransformerTextEncoder(c, rng);
  },
  defaultData: sotuPartySplit,
  commands: { yarowsky: yarowskyCommand },
});

/**
 * State of the Union speeches by party, Democrat vs Republican, as class folders of links:
 * `<data>/sotu-party/{train,test}/{democrat,republican}`; every fourth speech (by year) is test.
 */
export async function sotuPartySplit(): Promise<{ train: string; test: string; description: string }> {
  const data = dataDir();
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
      // relative, so the links survive the data folder being moved or reached through a link
      if (!existsSync(join(dir, f))) await symlink(relative(dir, join(src, f)), join(dir, f));
    }
    await mkdir(join(out, 'done'), { recursive: true });
  }
  return {
    train: join(out, 'train'),
    test: join(out, 'test'),
    description: 'State of the Union speeches, Democrat vs Republican (every 4th speech held out)',
  };
}
