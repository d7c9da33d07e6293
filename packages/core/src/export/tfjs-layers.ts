/**
 * Export to the tfjs layers format: `model.json` (topology + weights manifest) and
 * `weights.bin`, what `tf.loadLayersModel('…/model.json')` loads in a browser with plain
 * @tensorflow/tfjs. The model is saved as it runs at inference (batch-norm uses its moving
 * statistics once loaded, since `predict` runs in inference mode).
 */
import { join, resolve } from 'node:path';
import type { Encoder } from '../methods/encoder.js';
import type { ExportResult } from './export-result.js';
import { fileSaveHandler } from './file-io-handler.js';
import { layersModelOf } from './layers-model-of.js';

/** Options of `exportTfjsLayers`. */
export interface TfjsExportOptions {
  /** Extra JSON kept under `userDefinedMetadata.autodidact` in model.json (method, run, ...). */
  metadata?: Record<string, unknown>;
}

/**
 * Writes `encoder` (a tf.layers encoder) to `dir` as `model.json` + `weights.bin`. The encoder
 * config rides along in `userDefinedMetadata.autodidact` (`model.getUserDefinedMetadata()`
 * after loading). Input: `[batch, ...inputShape]` (images NHWC); output `[batch, outputDim]`.
 * A ConfigError if the encoder is not a layers model.
 */
export async function exportTfjsLayers(
  encoder: Encoder<unknown>,
  dir: string,
  options: TfjsExportOptions = {},
): Promise<ExportResult> {
  const model = layersModelOf(encoder);
  const out = resolve(dir);
  const handler = fileSaveHandler(out);
  const autodidact = { format: 'autodidact-export', version: 1, encoderConfig: encoder.config, ...options.metadata };
  // the metadata goes into the written artifacts only
  try {
    await model.save({
      save: (artifacts) =>
        handler.save!({ ...artifacts, userDefinedMetadata: { ...artifacts.userDefinedMetadata, autodidact } }),
    });
  } finally {
    model.dispose();
  }
  return {
    format: 'tfjs-layers',
    files: [join(out, 'model.json'), join(out, 'weights.bin')],
    inputShape: [...encoder.config.inputShape],
    outputDim: encoder.config.outputDim,
  };
}
