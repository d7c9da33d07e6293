/**
 * Every native kernel against tfjs's own cpu kernel (the reference implementation) on
 * shapes with strides, padding modes, dilation, transposes, batch broadcast and odd sizes,
 * forward and through tf.grad of a small conv net; and flat tensor counts.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addon } from './addon.js';
import { available, register, unavailableReason } from './index.js';
import { tuning } from './kernels/kernel-helpers.js';

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
    tuning.smallOutput = 0; // the native code on every size (by default small ops use the cpu kernels)
  });
  afterAll(() => {
    tuning.smallOutput = 1024;
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

  const engines = addon?.convEngine().startsWith('oneDNN') ? ['oneDNN', 'im2col'] : ['im2col'];
  it.each(engines.flatMap((engine) => convs.map((c) => [engine, c] as const)))(
    'conv2d forward and both gradients (%s) %j',
    async (engine, c) => {
      const ran = () => Number(/(\d+) convolutions run/.exec(addon!.convEngine())?.[1] ?? 0);
      const before = ran();
      addon!.convEngine(engine === 'oneDNN');
      try {
        await convCase(c);
      } finally {
        addon!.convEngine(true);
      }
      // the oneDNN variant really ran there (the forward at least; tfjs has no gradient for dilation)
      if (engine === 'oneDNN') expect(ran()).toBeGreaterThan(before);
      else expect(ran()).toBe(before);
    },
  );

  async function convCase(c: ConvCase): Promise<void> {
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
  }

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

  it('gradient of relu, incl. zeros and NaN inputs', async () => {
    const data = values(3000, 130);
    data[0] = 0;
    data[1] = Number.NaN;
    data[2] = -0;
    expectClose(
      await onBoth(() => {
        const x = tf.tensor1d(data);
        const w = randn([3000], 131);
        return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), w)))(x)];
      }),
    );
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

  it('batchNorm (FusedBatchNorm) with per-channel and scalar parameters, with and without scale/offset', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([2, 5, 5, 6], 90);
        const mean = randn([6], 91);
        const variance = tf.add(tf.abs(randn([6], 92)), 0.1);
        return [
          tf.batchNorm(x, mean, variance, randn([6], 93), randn([6], 94), 1e-3),
          tf.batchNorm(x, mean, variance, undefined, undefined, 1e-5),
          tf.batchNorm(x, tf.scalar(0.2), tf.scalar(1.5), tf.scalar(2), tf.scalar(-1)),
          tf.batchNorm(randn([7, 3], 95), randn([3], 96), tf.ones([3]), randn([3], 97), randn([3], 98)),
        ];
      }),
    );
  });

  it('erf and clipByValue, incl. NaN, signed zeros and large arguments', async () => {
    const data = values(1000, 99).map((v) => v * 6);
    data[0] = Number.NaN;
    data[1] = 0;
    data[2] = -0;
    data[3] = 40;
    data[4] = -40;
    expectClose(
      await onBoth(() => {
        const x = tf.tensor1d(data);
        return [tf.erf(x), tf.clipByValue(x, -0.5, 2), tf.clipByValue(x, 0, 1)];
      }),
      2e-6,
    );
  });

  it('max, min, argMax and argMin over axes, with NaN and keepDims', async () => {
    const data = values(4 * 5 * 6, 100);
    data[7] = Number.NaN;
    expectClose(
      await onBoth(() => {
        const x = tf.tensor3d(data, [4, 5, 6]);
        const outs: tf.Tensor[] = [];
        for (const axes of [2, 1, 0, [1, 2], [0, 1], [0, 2], undefined] as (number | number[] | undefined)[]) {
          outs.push(tf.max(x, axes), tf.min(x, axes, true));
        }
        for (const axis of [2, 1])
          outs.push(tf.cast(tf.argMax(x, axis), 'float32'), tf.cast(tf.argMin(x, axis), 'float32'));
        // the gradient of max (equal against the broadcast max) inside logSumExp
        outs.push(tf.grad((t: tf.Tensor) => tf.sum(tf.logSumExp(t, 1)))(randn([6, 9], 101)));
        return outs;
      }),
    );
  });

  it('comparisons of float32 and int32 tensors with broadcasting and NaN', async () => {
    const a = values(3 * 4 * 5, 102).map((v) => Math.round(v * 3) / 3);
    a[2] = Number.NaN;
    const ops = [tf.equal, tf.notEqual, tf.greater, tf.greaterEqual, tf.less, tf.lessEqual];
    expectClose(
      await onBoth(() => {
        const x = tf.tensor3d(a, [3, 4, 5]);
        const outs: tf.Tensor[] = [];
        for (const op of ops) {
          for (const b of [tf.tensor1d(a.slice(0, 5)), tf.scalar(a[4] as number), tf.slice(x, [0, 0, 0], [1, 4, 1])]) {
            outs.push(tf.cast(op(x, b), 'float32'));
          }
          const i = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
          outs.push(tf.cast(op(i, tf.tensor1d([2, 2, 6], 'int32')), 'float32'));
        }
        return outs;
      }),
    );
  });

  it('pad (constant) with its gradient, gather of single values, concat of narrow columns', async () => {
    expectClose(
      await onBoth(() => {
        const x = randn([2, 5, 4, 3], 103);
        const pads: [number, number][][] = [
          [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ],
          [
            [1, 0],
            [0, 2],
            [3, 1],
            [0, 1],
          ],
        ];
        const outs: tf.Tensor[] = pads.map((p) => tf.pad(x, p, 0.5));
        outs.push(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.pad(t, pads[0]!), randn([2, 7, 6, 3], 104))))(x));
        const flat = randn([40], 105);
        outs.push(tf.gather(flat, tf.tensor1d([3, 39, 0, 3, 17], 'int32')));
        outs.push(tf.gather(randn([6, 5, 1], 106), tf.tensor1d([4, 1], 'int32'), 1));
        outs.push(tf.concat([randn([30, 1], 107), randn([30, 10], 108), randn([30, 2], 109)], 1));
        return outs;
      }),
    );
  });

  it('cropAndResize (bilinear): inside, partly outside, single-pixel crops and out-of-batch boxes', async () => {
    expectClose(
      await onBoth(() => {
        const image = randn([3, 9, 11, 2], 110) as tf.Tensor4D;
        const boxes = tf.tensor2d(
          [
            [0.1, 0.2, 0.8, 0.9],
            [0, 0, 1, 1],
            [-0.2, 0.3, 0.6, 1.4],
            [0.5, 0.5, 0.5, 0.5],
            [0.9, 0.1, 0.2, 0.7],
          ],
          [5, 4],
        );
        const ind = tf.tensor1d([0, 2, 1, 1, 3], 'int32');
        return [
          tf.image.cropAndResize(image, boxes, ind, [7, 5], 'bilinear', 0.25),
          tf.image.cropAndResize(image, boxes, ind, [1, 1], 'bilinear'),
          tf.image.cropAndResize(image, boxes, ind, [4, 6], 'nearest'),
        ];
      }),
    );
  });

  it('fused kernels: training batch norm, layer norm, GELU, softmax cross-entropy, each with its gradient, and Adam', async () => {
    await tf.setBackend('native');
    const run = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>) =>
      tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as unknown as tf.Tensor[];
    const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-5) => {
      const x = a.dataSync();
      const y = b.dataSync();
      expect(a.shape).toEqual(b.shape);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)));
      expect(worst / Math.max(1, ...Array.from(y, Math.abs))).toBeLessThan(tol);
    };
    tf.tidy(() => {
      // batch norm over [rows, C] against the composite formula (offset mean: cancellation check)
      const x = tf.add(randn([6, 4, 4, 5], 120), 3);
      const gamma = randn([5], 121);
      const beta = randn([5], 122);
      const [y, mean, variance] = run('AutodidactBatchNormTrain', { x, gamma, beta }, { epsilon: 1e-5 });
      const m = tf.moments(x, [0, 1, 2]);
      close(mean!, m.mean);
      close(variance!, m.variance);
      const ref = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const mm = tf.moments(t, [0, 1, 2]);
        return tf.add(tf.mul(tf.div(tf.sub(t, mm.mean), tf.sqrt(tf.add(mm.variance, 1e-5))), g), b);
      };
      close(y!, ref(x, gamma, beta));
      const dy = randn([6, 4, 4, 5], 123);
      const [dx, dgamma, dbeta] = run(
        'AutodidactBatchNormTrainGrad',
        { dy, x, mean: mean!, variance: variance!, gamma },
        { epsilon: 1e-5 },
      );
      const [rx, rg, rb] = tf.grads((t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(ref(t, g, b), dy)))([
        x,
        gamma,
        beta,
      ]);
      close(dx!, rx!, 1e-4);
      close(dgamma!, rg!, 1e-4);
      close(dbeta!, rb!, 1e-4);

      // layer norm over the last axis and GELU against their composite formulas
      const lx = tf.add(randn([5, 6, 40], 140), 2);
      const lg = randn([40], 141);
      const lb = randn([40], 142);
      const [ly, lmean, lrstd] = run('AutodidactLayerNorm', { x: lx, gamma: lg, beta: lb }, { epsilon: 1e-5 });
      const lref = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const mm = tf.moments(t, -1, true);
        return tf.add(tf.mul(tf.mul(tf.sub(t, mm.mean), tf.rsqrt(tf.add(mm.variance, 1e-5))), g), b);
      };
      close(ly!, lref(lx, lg, lb));
      close(lmean!, tf.reshape(tf.mean(lx, -1), [30]));
      const ldy = randn([5, 6, 40], 143);
      const [ldx, ldg, ldb] = run(
        'AutodidactLayerNormGrad',
        { dy: ldy, x: lx, mean: lmean!, rstd: lrstd!, gamma: lg },
        {},
      );
      const [rlx, rlg, rlb] = tf.grads((t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(lref(t, g, b), ldy)),
      )([lx, lg, lb]);
      close(ldx!, rlx!, 1e-4);
      close(ldg!, rlg!, 1e-4);
      close(ldb!, rlb!, 1e-4);
      const gx = tf.mul(randn([3001], 144), 4);
      const gref = (t: tf.Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(tf.erf(tf.mul(t, Math.SQRT1_2)), 1));
      close(tf.engine().runKernel('AutodidactGelu', { x: gx }) as tf.Tensor, gref(gx));
      const gdy = randn([3001], 145);
      close(
        tf.engine().runKernel('AutodidactGeluGrad', { dy: gdy, x: gx }) as tf.Tensor,
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gref(t), gdy)))(gx),
        1e-5,
      );

      const logits = tf.mul(randn([7, 13], 124), 5) as tf.Tensor2D;
      const targets = tf.tensor1d([0, 12, 5, 5, 3, 1, 7], 'int32');
      const [losses, probs] = run('AutodidactSoftmaxCrossEntropy', { logits, targets }, {});
      const onehot = tf.oneHot(targets, 13);
      close(losses!, tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, onehot), 1)));
      close(probs!, tf.softmax(logits));
      const dloss = randn([7], 125);
      const [dlogits] = [
        tf.engine().runKernel('AutodidactSoftmaxCrossEntropyGrad', { probs: probs!, targets, dloss }, {}) as tf.Tensor,
      ];
      close(dlogits!, tf.mul(tf.sub(tf.softmax(logits), onehot), tf.expandDims(dloss, 1)));

      const p = randn([50], 126);
      const g = randn([50], 127);
      const mo = tf.mul(randn([50], 128), 0.1);
      const vo = tf.abs(tf.mul(randn([50], 129), 0.01));
      for (const decoupled of [false, true]) {
        const [np, nm, nv] = run(
          'AutodidactAdamUpdate',
          { param: p, grad: g, m: mo, v: vo },
          {
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            biasCorrection1: 1 - 0.9 ** 3,
            biasCorrection2: 1 - 0.999 ** 3,
            weightDecay: 0.1,
            decoupled,
          },
        );
        const gg = decoupled ? g : tf.add(g, tf.mul(p, 0.1));
        const m2 = tf.add(tf.mul(mo, 0.9), tf.mul(gg, 0.1));
        const v2 = tf.add(tf.mul(vo, 0.999), tf.mul(tf.square(gg), 0.001));
        const base = decoupled ? tf.mul(p, 1 - 0.01 * 0.1) : p;
        const denom = tf.add(tf.div(tf.sqrt(v2), Math.sqrt(1 - 0.999 ** 3)), 1e-8);
        close(nm!, m2);
        close(nv!, v2);
        close(np!, tf.sub(base, tf.mul(tf.div(m2, denom), 0.01 / (1 - 0.9 ** 3))));
      }
    });
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
