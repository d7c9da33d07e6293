/**
 * Gradients the native backend computes its own way (Relu's: see reluGradient below).
 *
 * Sum and Mean without a ones tensor. tfjs computes them as
 * `mul(reshape(dy), ones(x.shape))` (divided by the count for Mean): for batch-norm moments over
 * [batch, h, w] that fills a fresh tensor of the input's size in JavaScript every step (0.8 s of
 * a 4 s SimCLR step here). The same value is a broadcast copy of the small `dy`, which the native
 * Tile kernel does as one strided copy. Registered only while `native` is the active backend's
 * choice: on other backends the gradient is tfjs's own.
 */
import * as tf from '@tensorflow/tfjs';
import { RELU_GRAD } from './kernels/binary-ops.js';
import { SOFTMAX_GRAD } from './kernels/shape-ops.js';

type GradConfig = NonNullable<ReturnType<typeof tf.getGradient>>;

function broadcastGradient(kernelName: 'Sum' | 'Mean', original: GradConfig, backendName: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== backendName) return original.gradFunc(dy, saved, attrs);
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
      const expanded = x.shape.map((n, d) => (axes.includes(d) ? 1 : n));
      const count = axes.reduce((n, d) => n * (x.shape[d] as number), 1);
      return {
        x: () => {
          let g = tf.reshape(dy as tf.Tensor, expanded);
          if (kernelName === 'Mean') g = tf.div(g, count);
          return tf.broadcastTo(g, x.shape);
        },
      };
    },
  };
}

/**
 * The gradient of Relu as one kernel (dy where x > 0) instead of tfjs's mul(dy, step(x)): one pass
 * and no temporary, after every conv - BN - ReLU of a vision encoder.
 */
function reluGradient(original: GradConfig, backendName: string): GradConfig {
  return {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (tf.getBackend() !== backendName || x.dtype !== 'float32') return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD, { a: dy as tf.Tensor, b: x }) as tf.Tensor };
    },
  };
}

/**
 * The gradient of a last-axis Softmax as one kernel, dx = y * (dy - sum(dy * y)) per row
 * (tfjs: four ops, a temporary and a broadcast), for every attention layer.
 */
function softmaxGradient(original: GradConfig, backendName: string): GradConfig {
  return {
    kernelName: 'Softmax',
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      const dim = (attrs as { dim: number }).dim;
      const last = dim === -1 || dim === y.rank - 1;
      if (tf.getBackend() !== backendName || y.dtype !== 'float32' || !last) return original.gradFunc(dy, saved, attrs);
      return { logits: () => tf.engine().runKernel(SOFTMAX_GRAD, { y, dy: dy as tf.Tensor }) as tf.Tensor };
    },
  };
}

/** Replaces the Sum, Mean, Relu and Softmax gradients (once); they defer to tfjs's own on other backends. */
export function registerGradients(backendName: string): void {
  for (const name of ['Sum', 'Mean', 'Relu', 'Softmax'] as const) {
    const original = tf.getGradient(name);
    if (!original || (original as { native?: boolean }).native) continue;
    const config =
      name === 'Relu'
        ? reluGradient(original, backendName)
        : name === 'Softmax'
          ? softmaxGradient(original, backendName)
          : broadcastGradient(name, original, backendName);
    tf.registerGradient({ ...config, native: true } as GradConfig);
  }
}
