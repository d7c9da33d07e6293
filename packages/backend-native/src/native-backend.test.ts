/**
 * Every native kernel against tfjs's own cpu kernel (the reference implementation) on
 * shapes with strides, padding modes, dilation, transposes, batch broadcast and odd sizes,
 * forward and through tf.grad of a small conv net; and flat tensor counts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { available, register, unavailableReason } from './index.js';

const hasAddon = available();
if (!hasAddon) {
  process.stderr.write(`@autodidact/backend-native tests skipped: ${unavailableReason()}\n`);
}

/** Deterministic values in [-1, 1) from a small LCG, so both backends see the same data. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function randn(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** Runs `f` on the cpu backend and on the native one; returns both results as arrays with shapes. */
async function onBoth(
  f: () => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: { shape: number[]; data: Float32Array }[]; native: { shape: number[]; data: Float32Array }[] }> {
  const run = async (name: string) => {
    await tf.setBackend(name);
    const outs = tf.tidy(() => {
      const r = f();
      return Array.isArray(r) ? r : [r];
    });
    const res = outs.map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync()) }));
    tf.dispose(outs);
    return res;
  };
  return { cpu: await run('cpu'), native: await run('native') };
}

function expectClose(r: Awaited<ReturnType<typeof onBoth>>, tol = 1e-4): void {
  expect(r.native.length).toBe(r.cpu.length);
  r.cpu.forEach((c, i) => {
    const n = r.native[i]!;
    expect(n.shape).toEqual(c.shape);
    let scale = 1;
    for (const v of c.data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let k = 0; k < c.data.length; k++) {
      const a = c.data[k] as number;
      const b = n.data[k] as number;
      if (Number.isNaN(a) || Number.isNaN(b)) {
        if (Number.isNaN(a) !== Number.isNaN(b)) worst = Number.POSITIVE_INFINITY; // NaN must match NaN
        continue;
      }
      worst = Math.max(worst, a === b ? 0 : Math.abs(a - b));
    }
    expect(worst / scale).toBeLessThan(tol);
  });
}

describe.skipIf(!hasAddon)('native backend kernels against tfjs cpu', () => {
  beforeAll(() => {
    expect(register()).toBe(true);
  });

  it('registers every cpu kernel under native', () => {
    const cpu = new Set(tf.getKernelsForBackend('cpu').map((k) => k.kernelName));
    const native = new Set(tf.getKernelsForBackend('native').map((k) => k.kernelName));
    for (const k of cpu) expect(native.has(k), k).toBe(true);
  });

  const matmuls: [number[], number[], boolean, boolean][] = [
    [[1, 1], [1, 1], false, false],
    [[7, 13], [13, 5], false, false],
    [[13, 7], [13, 5], true, false],
    [[7, 13], [5, 13], false, true],
    [[13, 7], [5, 13], true, true],
    [[3, 17, 9], [3, 9, 11], false, false],
    [[3, 9, 17], [3, 11, 9], true, true],
    [[2, 3, 17, 9], [9, 11], false, false], // b broadcast over a's batch
    [[2, 3, 9, 17], [11, 9], true, true],
    [[17, 9], [4, 9, 6], false, false], // a broadcast over b's batch
    [[1, 9, 17], [4, 11, 9], true, true],
  ];

  it.each(matmuls)('matMul %j x %j (transposeA %s, transposeB %s)', async (sa, sb, ta, tb) => {
    expectClose(await onBoth(() => tf.matMul(randn(sa, 1), randn(sb, 2), ta, tb)));
  });

  it('fused matMul with bias and each activation', async () => {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
      expectClose(
        await onBoth(() =>
          tf.fused.matMul({
            a: randn([9, 6], 3),
            b: randn([6, 5], 4),
            bias: randn([5], 5),
            activation,
            preluActivationWeights: activation === 'prelu' ? randn([5], 6) : undefined,
            leakyreluAlpha: 0.3,
          }),
        ),
      );
    }
  });

  type ConvCase = { x: number[]; f: number[]; s: number | [number, number]; pad: 'same' | 'valid' | number; d: number };
  const convs: ConvCase[] = [
    { x: [2, 8, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'same', d: 1 },
    { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 1, pad: 'valid', d: 1 },
    { x: [3, 11, 10, 2], f: [3, 2, 2, 4], s: 2, pad: 'same', d: 1 },
    { x: [2, 11, 13, 4], f: [5, 3, 4, 3], s: [2, 3], pad: 'valid', d: 1 },
    { x: [2, 12, 12, 3], f: [3, 3, 3, 2], s: 1, pad: 'same', d: 2 },
    { x: [2, 12, 12, 3], f: [3, 3, 3, 2], s: 1, pad: 1, d: 1 },
    { x: [2, 6, 6, 8], f: [1, 1, 8, 5], s: 1, pad: 'valid', d: 1 }, // pointwise GEMM path
    { x: [4, 1, 50, 3], f: [1, 10, 3, 6], s: [1, 5], pad: 'valid', d: 1 }, // conv1d as tfjs lowers it
  ];

  it.each(convs)('conv2d forward and both gradients %j', async (c) => {
    expectClose(
      await onBoth(() => {
        const x = randn(c.x, 7);
        const f = randn(c.f, 8);
        const conv = (xx: tf.Tensor, ff: tf.Tensor) =>
          tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d);
        const y = conv(x, f);
        if (c.d > 1) return [y]; // tfjs has no conv2d gradient for dilation > 1
        const dy = randn(y.shape, 9);
        const [gx, gf] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(conv(xx, ff), dy)))([x, f]);
        return [y, gx as tf.Tensor, gf as tf.Tensor];
      }),
    );
  });

  it('conv1d (lowered to conv2d) with stride and dilation', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([3, 40, 4], 10) as tf.Tensor3D;
        const f = randn([3, 4, 6], 11) as tf.Tensor3D;
        const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
          tf.sum(tf.square(tf.conv1d(xx as tf.Tensor3D, ff as tf.Tensor3D, 2, 'same'))),
        )([x, f]);
        return [tf.conv1d(x, f, 2, 'valid'), tf.conv1d(x, f, 1, 'same', 'NWC', 3), ...g];
      }),
    );
  });

  it('fused conv2d with bias and relu', async () => {
    expectClose(
      await onBoth(() =>
        tf.fused.conv2d({
          x: randn([2, 7, 7, 3], 12) as tf.Tensor4D,
          filter: randn([3, 3, 3, 4], 13) as tf.Tensor4D,
          strides: 1,
          pad: 'same',
          bias: randn([4], 14),
          activation: 'relu',
        }),
      ),
    );
  });

  it('broadcasting binary ops', async () => {
    const pairs: [number[], number[]][] = [
      [[4, 5, 6, 7], [7]],
      [
        [4, 5, 6, 7],
        [1, 1, 1, 7],
      ],
      [
        [4, 1, 6, 1],
        [1, 5, 1, 7],
      ],
      [
        [3, 1],
        [1, 3],
      ],
      [[5], []],
      [
        [2, 3],
        [2, 3],
      ],
      [
        [1, 1, 1],
        [2, 1, 3],
      ],
    ];
    for (const [sa, sb] of pairs) {
      expectClose(
        await onBoth(() => {
          const a = randn(sa, 15);
          const b = tf.add(tf.abs(randn(sb, 16)), 0.5);
          return [
            tf.add(a, b),
            tf.sub(a, b),
            tf.mul(a, b),
            tf.div(a, b),
            tf.maximum(a, b),
            tf.minimum(b, a),
            tf.squaredDifference(a, b),
            tf.pow(b, a),
            tf.pow(a, 2),
            tf.pow(b, 0.5),
          ];
        }),
      );
    }
  });

  it('unary ops, incl. NaN, zeros and large tensors (pooled memory)', async () => {
    for (const n of [7, 40_000]) {
      const data = values(n, 60);
      data[0] = Number.NaN;
      data[1] = 0;
      data[2] = -0;
      data[3] = 7.5; // above Relu6's cap
      expectClose(
        await onBoth(() => {
          const x = tf.tensor1d(data);
          const pos = tf.add(tf.abs(x), 0.5);
          return [
            tf.relu(x),
            tf.step(x, 0.3),
            tf.exp(x),
            tf.log(pos),
            tf.sqrt(pos),
            tf.rsqrt(pos),
            tf.square(x),
            tf.neg(x),
            tf.abs(x),
            tf.sigmoid(x),
            tf.tanh(x),
            tf.reciprocal(pos),
            tf.relu6(x),
            tf.leakyRelu(x, 0.1),
            tf.log1p(pos),
          ];
        }),
      );
    }
  });

  it('gradients of sum and mean over various axes, and broadcast tiles', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([3, 4, 5, 2], 70);
        const w = randn([3, 4, 5, 2], 71);
        const outs: tf.Tensor[] = [];
        for (const axes of [[0, 1, 2], [1], [3], [0, 3], undefined] as (number[] | undefined)[]) {
          for (const keep of [false, true]) {
            outs.push(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, axes, keep), tf.mean(w, axes, keep))))(x));
            outs.push(tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.sum(t, axes, keep))))(x));
          }
        }
        outs.push(tf.broadcastTo(randn([1, 4, 1], 72), [3, 4, 5]), tf.tile(randn([2, 3], 73), [2, 2]));
        return outs;
      }),
    );
  });

  it('slice, split, concat, oneHot and softmax, with gradients', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([4, 6, 9], 80);
        const big = randn([8, 64, 96], 81); // pooled sizes
        const w = randn([4, 6, 9], 82);
        const outs: tf.Tensor[] = [
          tf.slice(x, [1, 2, 3], [2, 3, 4]),
          tf.slice(x, [1, 0, 0], [2, 6, 9]), // contiguous
          tf.slice(big, [0, 5, 10], [8, 50, 40]),
          ...tf.split(x, 3, 2),
          ...tf.split(x, [1, 2, 3], 1),
          ...tf.split(big, 3, 2),
          tf.concat([x, w], 0),
          tf.concat([x, w, x], 2),
          tf.concat([tf.slice(x, [0, 0, 0], [4, 2, 9]), w], 1),
          tf.oneHot(tf.tensor1d([0, 3, -1, 9, 2], 'int32'), 4),
          tf.oneHot(
            tf.tensor2d(
              [
                [1, 7],
                [0, 5],
              ],
              [2, 2],
              'int32',
            ),
            300,
            2,
            -1,
          ),
          tf.softmax(x),
          tf.softmax(tf.mul(big, 20)),
          tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w)))(x),
          tf.grad((t: tf.Tensor) => {
            const [a, b, c] = tf.split(t, 3, 2);
            return tf.sum(tf.mul(tf.concat([c as tf.Tensor, a as tf.Tensor, b as tf.Tensor], 2), w));
          })(x),
        ];
        return outs;
      }),
    );
  });

  it('sum, mean and transpose over various axes', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([4, 5, 6, 7], 17);
        return [
          tf.sum(x),
          tf.sum(x, [0, 1, 2]),
          tf.mean(x, [0, 1, 2], true),
          tf.sum(x, 1),
          tf.mean(x, [1, 3]),
          tf.sum(x, -1, true),
          tf.transpose(x, [0, 2, 1, 3]),
          tf.transpose(x, [3, 2, 1, 0]),
          tf.transpose(randn([1, 3, 1], 18), [2, 0, 1]),
        ];
      }),
    );
  });

  it('max pool forward and gradient (incl. ties after relu, same/valid, strides)', async () => {
    for (const [shape, size, stride, pad] of [
      [[2, 8, 8, 3], 2, 2, 'valid'],
      [[2, 9, 7, 4], 3, 2, 'same'],
      [[1, 6, 6, 2], 3, 1, 'same'],
      [[2, 5, 5, 1], [2, 3], [1, 2], 'valid'],
    ] as [number[], number | [number, number], number | [number, number], 'same' | 'valid'][]) {
      expectClose(
        await onBoth(() => {
          const x = tf.relu(randn(shape, 50)) as tf.Tensor4D; // many tied zeros
          const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, size, stride, pad);
          const y = pool(x);
          const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t), randn(y.shape, 51))))(x);
          return [y, g];
        }),
      );
    }
  });

  it('gather and its gradient (unsortedSegmentSum), with repeated and dropped ids', async () => {
    expectClose(
      await onBoth(() => {
        const table = randn([11, 6], 40);
        const ids = tf.tensor2d(
          [
            [0, 3, 3],
            [10, 1, 0],
          ],
          [2, 3],
          'int32',
        );
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), randn([2, 3, 6], 41))))(table);
        const seg = tf.unsortedSegmentSum(randn([5, 4], 42), tf.tensor1d([2, -1, 2, 0, 7], 'int32'), 4);
        return [tf.gather(table, ids), tf.gather(randn([3, 5, 2], 43), tf.tensor1d([4, 0, 4], 'int32'), 1), g, seg];
      }),
    );
  });

  it('gradients of a small conv net (conv, batchnorm-style moments, pool, dense) agree', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([4, 10, 10, 3], 20) as tf.Tensor4D;
        const w1 = randn([3, 3, 3, 8], 21);
        const w2 = randn([3, 3, 8, 6], 22);
        const wd = randn([6, 5], 23);
        const bd = randn([5], 24);
        const net = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
          let h: tf.Tensor = tf.conv2d(x, a as tf.Tensor4D, 1, 'same');
          const { mean, variance } = tf.moments(h, [0, 1, 2], true);
          h = tf.relu(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))));
          h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'same');
          h = tf.conv2d(h as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid');
          h = tf.mean(h, [1, 2]);
          const logits = tf.add(tf.matMul(h as tf.Tensor2D, c as tf.Tensor2D), d);
          return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5), logits);
        };
        const { value, grads } = tf.valueAndGrads(net)([w1, w2, wd, bd]);
        return [value, ...grads];
      }),
      2e-4,
    );
  });

  it('keeps tensor counts flat across repeated training steps', async () => {
    await tf.setBackend('native');
    const w = tf.variable(randn([3, 3, 3, 4], 30));
    const d = tf.variable(randn([4, 2], 31));
    const x = randn([2, 6, 6, 3], 32) as tf.Tensor4D;
    const opt = tf.train.adam(1e-2);
    const step = () =>
      opt.minimize(
        () =>
          tf.mean(
            tf.square(
              tf.matMul(
                tf.mean(tf.relu(tf.conv2d(x, w as unknown as tf.Tensor4D, 1, 'same')), [1, 2]) as tf.Tensor2D,
                d,
              ),
            ),
          ) as tf.Scalar,
      );
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, d, x]);
    opt.dispose();
  });
});
