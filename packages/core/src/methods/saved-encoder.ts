import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../checkpoint/index.js';
import { CheckpointError } from '../errors.js';
import type { EncoderConfig } from './encoder.js';

/** The JSON written beside a trained encoder's weights: enough to rebuild and describe it. */
export interface SavedEncoderMeta {
  format: 'autodidact-encoder';
  version: 1;
  modality: string;
  method: string;
  methodOptions: Record<string, unknown>;
  encoderConfig: EncoderConfig;
  /** Anything else worth keeping: trainer options, training result, backend, package versions. */
  [key: string]: unknown;
}

const META = 'encoder.json';
const MANIFEST = 'encoder.weights.json';
const BIN = 'encoder.weights.bin';

/**
 * Writes `encoder.json`, `encoder.weights.json` (a tfjs weights manifest) and
 * `encoder.weights.bin` into `dir`, each atomically; the metadata last, so a folder with
 * `encoder.json` always has complete weights.
 */
export async function saveEncoder(
  dir: string,
  variables: Map<string, tf.Variable>,
  meta: Omit<SavedEncoderMeta, 'format' | 'version'>,
): Promise<void> {
  const named: tf.NamedTensorMap = {};
  for (const [name, v] of variables) named[name] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  await writeFileAtomic(join(dir, BIN), new Uint8Array(data));
  const manifest = [{ paths: [`./${BIN}`], weights: specs }];
  await writeFileAtomic(join(dir, MANIFEST), JSON.stringify(manifest, null, 1));
  await writeFileAtomic(
    join(dir, META),
    JSON.stringify({ format: 'autodidact-encoder', version: 1, ...meta }, null, 2),
  );
}

/** Reads what `saveEncoder` wrote. The caller owns (and disposes) the returned tensors. */
export async function loadSavedEncoder(dir: string): Promise<{ meta: SavedEncoderMeta; tensors: tf.NamedTensorMap }> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (err) {
      throw new CheckpointError(`missing ${name}: not a folder written by 'autodidact pretrain'`, {
        path: dir,
        cause: err,
      });
    }
  };
  let meta: SavedEncoderMeta;
  try {
    meta = JSON.parse((await read(META)).toString('utf8')) as SavedEncoderMeta;
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(`${META} is not valid JSON`, { path: dir, cause: err });
  }
  if (meta.format !== 'autodidact-encoder' || !meta.encoderConfig) {
    throw new CheckpointError(`${META} is not an autodidact encoder description`, { path: dir });
  }
  let specs: tf.io.WeightsManifestEntry[];
  try {
    const manifest = JSON.parse((await read(MANIFEST)).toString('utf8')) as tf.io.WeightsManifestConfig;
    specs = manifest.flatMap((g) => g.weights);
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(`${MANIFEST} is not valid JSON`, { path: dir, cause: err });
  }
  const bin = await read(BIN);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bin.byteLength !== expected) {
    throw new CheckpointError(`${BIN} has ${bin.byteLength} bytes, the manifest describes ${expected}`, { path: dir });
  }
  const buf = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return { meta, tensors: tf.io.decodeWeights(buf, specs) };
}
