/**
 * Export to ONNX: `<dir>/model.onnx`, for onnxruntime (node, web, python) and the runtimes built
 * on it such as transformers.js. Input `input`: `[batch, ...inputShape]` float32 (images NHWC, as
 * the encoder takes them); output `embedding`: `[batch, outputDim]`.
 */
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../checkpoint/index.js';
import type { Encoder } from '../methods/encoder.js';
import { encoderToOnnx, type OnnxFileExportOptions } from './encoder-to-onnx.js';
import type { ExportResult } from './export-result.js';

export type { OnnxFileExportOptions } from './encoder-to-onnx.js';

/**
 * Writes `encoder` (a tf.layers encoder) to `<dir>/model.onnx` (opset 13), atomically; the bytes
 * are {@link encoderToOnnx}'s. ConfigError for an encoder that is not a layers model or holds a
 * layer without an ONNX mapping (named).
 */
export async function exportOnnx(
  encoder: Encoder<unknown>,
  dir: string,
  options: OnnxFileExportOptions = {},
): Promise<ExportResult> {
  const bytes = encoderToOnnx(encoder, options);
  const file = join(resolve(dir), 'model.onnx');
  await writeFileAtomic(file, bytes);
  return {
    format: 'onnx',
    files: [file],
    inputShape: [...encoder.config.inputShape],
    outputDim: encoder.config.outputDim,
  };
}
