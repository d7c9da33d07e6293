/**
 * Export to ONNX: `<dir>/model.onnx`, for onnxruntime (node, web, python) and the runtimes built
 * on it such as transformers.js. Input `input`: `[batch, ...inputShape]` float32 (images NHWC, as
 * the encoder takes them); output `embedding`: `[batch, outputDim]`.
 */
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../checkpoint/index.js';
import type { Encoder } from '../methods/encoder.js';
import type { ExportResult } from './export-result.js';
import { layersModelOf } from './layers-model-of.js';
import { layersModelToOnnx } from './layers-to-onnx.js';

/** Options of `exportOnnx`. */
export interface OnnxFileExportOptions {
  /** Extra JSON stored with the encoder config under the `autodidact` metadata key. */
  metadata?: Record<string, unknown>;
  /** Producer version written into the file. */
  producerVersion?: string;
}

/**
 * Writes `encoder` (a tf.layers encoder) to `<dir>/model.onnx` (opset 13). The encoder config
 * and `metadata` go into the model's `autodidact` metadata entry as JSON. ConfigError for an
 * encoder that is not a layers model or holds a layer without an ONNX mapping (named).
 */
export async function exportOnnx(
  encoder: Encoder<unknown>,
  dir: string,
  options: OnnxFileExportOptions = {},
): Promise<ExportResult> {
  const model = layersModelOf(encoder);
  const bytes = layersModelToOnnx(model, {
    producerVersion: options.producerVersion,
    metadata: {
      autodidact: JSON.stringify({
        format: 'autodidact-export',
        version: 1,
        encoderConfig: encoder.config,
        inputLayout: encoder.config.inputShape.length === 3 ? 'NHWC' : 'as the encoder takes it',
        ...options.metadata,
      }),
    },
  });
  const file = join(resolve(dir), 'model.onnx');
  await writeFileAtomic(file, bytes);
  return {
    format: 'onnx',
    files: [file],
    inputShape: [...encoder.config.inputShape],
    outputDim: encoder.config.outputDim,
  };
}
