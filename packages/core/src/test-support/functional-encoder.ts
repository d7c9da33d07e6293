/**
 * An encoder that is not a tf.layers model (one variable, `x W`, `[batch, 4] -> [batch, 2]`),
 * named `<modality>/<kind>`: what the exporters must refuse by name.
 */
import * as tf from '@tensorflow/tfjs';
import type { Encoder } from '../methods/encoder.js';

export function functionalEncoder(modality: string, kind: string, variableName: string): Encoder<unknown> {
  const w = tf.variable(tf.zeros([4, 2]), true, variableName);
  return {
    config: { kind, modality, outputDim: 2, inputShape: [4] },
    apply: (b) => tf.matMul(b as tf.Tensor2D, w),
    trainableVariables: () => new Map([['encoder/w', w]]),
    allVariables: () => new Map([['encoder/w', w]]),
    dispose: () => w.dispose(),
  };
}
