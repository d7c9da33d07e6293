/**
 * Gradients of Sum and Mean without a ones tensor. tfjs computes them as
 * `mul(reshape(dy), ones(x.shape))` (divided by the count for Mean): for batch-norm moments over
 * [batch, h, w] that fills a fresh tensor of the input's size in JavaScript every step (0.8 s of
 * a 4 s SimCLR step here). The same value is a broadcast copy of the small `dy`, which the native
 * Tile kernel does as one strided copy. Registered only while `native` is the active backend's
 * choice: on other backends the gradient is tfjs's own.
 */
import * as tf from '@tensorflow/tfjs';

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

/** Replaces the Sum and Mean gradients (once); they defer to tfjs's own on other backends. */
export function registerGradients(backendName: string): void {
  for (const name of ['Sum', 'Mean'] as const) {
    const original = tf.getGradient(name);
    if (!original || (original as { native?: boolean }).native) continue;
    tf.registerGradient({ ...broadcastGradient(name, original, backendName), native: true } as GradConfig);
  }
}
