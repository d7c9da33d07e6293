/**
 * tf.io handlers that write and read the tfjs layers format (model.json + one weights file) on
 * the local file system with node:fs, so plain @tensorflow/tfjs (no tfjs-node) can save a model
 * that a browser later loads with `tf.loadLayersModel(url)`, and tests can load it back.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../checkpoint/index.js';
import { DataFormatError } from '../errors.js';

/** File names of a layers-format export. */
export interface LayersFileNames {
  /** The topology + manifest file. Default `model.json`. */
  modelFile?: string;
  /** The single weights shard, next to it. Default `weights.bin`. */
  weightsFile?: string;
}

/**
 * A save handler writing `<dir>/model.json` and `<dir>/weights.bin` (weights last-but-one, the
 * JSON last, each atomically, so a folder with model.json has its weights). Paths inside
 * model.json are relative, as `tf.loadLayersModel` over HTTP expects.
 */
export function fileSaveHandler(dir: string, names: LayersFileNames = {}): tf.io.IOHandler {
  const modelFile = names.modelFile ?? 'model.json';
  const weightsFile = names.weightsFile ?? 'weights.bin';
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : undefined;
      const manifest: tf.io.WeightsManifestConfig = [
        { paths: [`./${weightsFile}`], weights: artifacts.weightSpecs ?? [] },
      ];
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: manifest,
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(join(dir, weightsFile), new Uint8Array(weightData ?? new ArrayBuffer(0)));
      const text = JSON.stringify(json);
      await writeFileAtomic(join(dir, modelFile), text);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weightData?.byteLength ?? 0,
        },
      };
    },
  };
}

/**
 * A load handler reading a model.json written by `fileSaveHandler` (or by the tfjs converter)
 * and its weight shards, resolved relative to the JSON file. Malformed or truncated files are
 * DataFormatErrors naming the file.
 */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  const path = resolve(modelJsonPath);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
        throw new DataFormatError('not valid JSON', { file: path, cause: err });
      }
      if (json == null || typeof json !== 'object' || json.modelTopology == null) {
        throw new DataFormatError("no 'modelTopology': not a tfjs model.json", { file: path });
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await readFile(join(dirname(path), p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        const data = tf.io.concatenateArrayBuffers(buffers);
        const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s), 0);
        if (data.byteLength !== expected) {
          throw new DataFormatError(
            `the weight files hold ${data.byteLength} bytes, the manifest describes ${expected}`,
            { file: path },
          );
        }
        return [specs, data];
      });
    },
  };
}

/** Bytes one element of a weight takes in the shard (quantized weights are stored narrower). */
function bytesPerElement(spec: tf.io.WeightsManifestEntry): number {
  const q = spec.quantization?.dtype;
  if (q) return q === 'uint8' ? 1 : 2;
  return spec.dtype === 'bool' ? 1 : 4;
}
