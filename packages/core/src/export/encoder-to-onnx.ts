/**
 * An encoder as ONNX bytes (`model.onnx`'s content), with the encoder config in the model's
 * `autodidact` metadata entry: the portable half of the ONNX export, for a browser page that
 * offers the file as a download as well as for `exportOnnx`, which writes it to disk.
 */
import type { Encoder } from '../methods/encoder.js';
import { layersModelOf } from './layers-model-of.js';
import { layersModelToOnnx } from './layers-to-onnx.js';

/** Options of `exportOnnx` and {@link encoderToOnnx}. */
export interface OnnxFileExportOptions {
  /** Extra JSON stored with the encoder config under the `autodidact` metadata key. */
  metadata?: Record<string, unknown>;
  /** Producer version written into the file. */
  producerVersion?: string;
}

/**
 * `encoder` (a tf.layers encoder) as an ONNX model (opset 13): input `input` `[batch,
 * ...inputShape]` float32 (images NHWC), output `embedding` `[batch, outputDim]`. The encoder
 * config and `metadata` go into the `autodidact` metadata entry as JSON. ConfigError for an
 * encoder that is not a layers model or holds a layer without an ONNX mapping (named).
 */
export function encoderToOnnx(encoder: Encoder<unknown>, options: OnnxFileExportOptions = {}): Uint8Array {
  const model = layersModelOf(encoder);
  try {
    return layersModelToOnnx(model, {
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
  } finally {
    model.dispose();
  }
}
