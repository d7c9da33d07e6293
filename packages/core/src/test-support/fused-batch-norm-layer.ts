/**
 * tf.layers' BatchNormalization with its training-mode call running core's fused
 * `batchNormTraining`: what the conv and MLP encoders were built from before they moved to `Net`,
 * kept for the tests only, as the twin `nn/net.test.ts` compares the net's `batchNorm` layer with
 * bit for bit (and `nn/batch-norm.test.ts` compares with tf.layers' own layer).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../nn/batch-norm.js';

type LayerArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type BatchNormLayer = ReturnType<typeof tf.layers.batchNormalization>;
type Kwargs = Record<string, unknown>;

/** tf.layers' own BatchNormalization class (not exported by tfjs; reached through its serialization registry). */
function baseClass(): new (args?: LayerArgs) => BatchNormLayer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization;
  if (!entry) throw new Error('tf.layers BatchNormalization is not registered');
  return entry[0] as unknown as new (
    args?: LayerArgs,
  ) => BatchNormLayer;
}

let layerClass: (new (args?: LayerArgs) => BatchNormLayer) | undefined;

/**
 * The BatchNormalization class whose training-mode call runs {@link batchNormTraining} (when it
 * normalises over the last axis with both gamma and beta; otherwise tf.layers' own code runs).
 * Inference, weights, configuration, class name and moving-average updates are tf.layers'
 * (moving = moving - (moving - batch) * (1 - momentum), biased variance), so saved models,
 * checkpoints and the ONNX export see the standard layer.
 */
function fusedLayerClass(): new (args?: LayerArgs) => BatchNormLayer {
  if (layerClass) return layerClass;
  const Base = baseClass() as unknown as new (
    args?: LayerArgs,
  ) => BatchNormLayer & {
    call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[];
  };
  type Fields = {
    axis: number;
    center: boolean;
    scale: boolean;
    epsilon: number;
    momentum: number;
    gamma: { read(): tf.Tensor };
    beta: { read(): tf.Tensor };
    movingMean: { read(): tf.Tensor; write(v: tf.Tensor): void };
    movingVariance: { read(): tf.Tensor; write(v: tf.Tensor): void };
  };
  class FusedBatchNormalization extends Base {
    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      const self = this as unknown as Fields;
      const last = self.axis === -1 || (input !== undefined && self.axis === input.rank - 1);
      if (!kwargs.training || !input || !last || !self.center || !self.scale || input.rank < 2) {
        return super.call(inputs, kwargs);
      }
      return tf.tidy(() => {
        const { y, mean, variance } = batchNormTraining(input, self.gamma.read(), self.beta.read(), self.epsilon);
        const decay = 1 - self.momentum;
        for (const [moving, value] of [
          [self.movingMean, mean],
          [self.movingVariance, variance],
        ] as const) {
          tf.tidy(() => {
            const orig = moving.read();
            moving.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
          });
        }
        tf.dispose([mean, variance]);
        return y;
      });
    }
  }
  layerClass = FusedBatchNormalization as unknown as new (args?: LayerArgs) => BatchNormLayer;
  return layerClass;
}

/**
 * `tf.layers.batchNormalization(args)` with the fused training-mode op: same arguments, weights
 * and serialised form; training steps run {@link batchNormTraining}.
 */
export function batchNormalization(args?: LayerArgs): BatchNormLayer {
  const Layer = fusedLayerClass();
  return new Layer(args);
}
