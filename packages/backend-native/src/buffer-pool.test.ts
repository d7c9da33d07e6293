/**
 * The native backend recycles disposed kernel outputs. These tests try to make that unsafe:
 * values read out with dataSync, user arrays given to tf.tensor, and slices that view a
 * parent's memory must never be overwritten by later kernels; accumulating kernels must not
 * see stale contents; and recycling must actually happen in a training-like loop.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferPool, MIN_POOLED_BYTES, sizeClass } from './buffer-pool.js';
import { available, poolStats, register } from './native-backend.js';

/** Big enough to be pooled. */
const N = (MIN_POOLED_BYTES / 4) * 2;

function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Allocates and disposes many kernel outputs of `n` floats, to reuse any buffer the pool holds. */
function churn(n: number): void {
  const x = tf.tensor1d(filled(n, 99));
  for (let i = 0; i < 8; i++) tf.tidy(() => tf.add(tf.mul(tf.relu(x), 3), 7));
  x.dispose();
}

describe.skipIf(!available())('native backend buffer pool', () => {
  beforeAll(async () => {
    expect(register()).toBe(true);
    await tf.setBackend('native');
  });

  it('never overwrites values read out with dataSync()', () => {
    const x = tf.tensor1d(filled(N, 1));
    const y = tf.exp(x);
    const read = y.dataSync();
    const copy = Float32Array.from(read);
    y.dispose();
    churn(N);
    expect(read).toEqual(copy);
    x.dispose();
  });

  it('never recycles an array the user passed to tf.tensor', () => {
    const user = filled(N, 2);
    const copy = Float32Array.from(user);
    const t = tf.tensor1d(user);
    tf.tidy(() => tf.neg(t));
    t.dispose();
    churn(N);
    expect(user).toEqual(copy);
  });

  it('keeps a slice intact after its parent is disposed', () => {
    const rows = 64;
    const cols = N / rows;
    const x = tf.tensor2d(filled(N, 3), [rows, cols]);
    const parent = tf.relu(x);
    const slice = tf.slice(parent, [0, 0], [rows / 2, cols]); // a view of the parent's memory
    const expected = tf.tidy(() =>
      tf
        .relu(tf.slice(x, [0, 0], [rows / 2, cols]))
        .dataSync()
        .slice(),
    );
    parent.dispose();
    churn(N);
    expect(slice.dataSync()).toEqual(expected);
    tf.dispose([x, slice]);
  });

  it('accumulating kernels start from zero in recycled memory, step after step', async () => {
    const x = tf.tensor4d(filled(2 * 16 * 16 * 32, 4), [2, 16, 16, 32]); // 64 KiB: pooled
    const segments = 300; // output 300 x 64 floats: pooled
    const seg = tf.tensor2d(filled(1024 * 64, 5), [1024, 64]);
    const ids = tf.tensor1d(
      Array.from({ length: 1024 }, (_, i) => i % segments),
      'int32',
    );
    const run = () =>
      tf.tidy(() => {
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), 2)))(x);
        const s = tf.unsortedSegmentSum(seg, ids, segments);
        return [g.dataSync().slice(), s.dataSync().slice()];
      });
    const first = run();
    for (let step = 0; step < 4; step++) {
      churn(x.size);
      churn(segments * 64);
      const again = run();
      expect(again[0]).toEqual(first[0]);
      expect(again[1]).toEqual(first[1]);
    }
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('native');
    for (let k = 0; k < 2; k++) {
      const a = first[k] as Float32Array;
      const b = cpu[k] as Float32Array;
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
      expect(worst).toBeLessThan(1e-3);
    }
    tf.dispose([x, seg, ids]);
  });

  it('reuses memory across training steps with flat tensor counts', () => {
    const w = tf.variable(tf.tensor4d(filled(3 * 3 * 8 * 16, 6), [3, 3, 8, 16]));
    const x = tf.tensor4d(filled(8 * 24 * 24 * 8, 7), [8, 24, 24, 8]);
    const opt = tf.train.adam(1e-3);
    const step = () =>
      opt.minimize(
        () => tf.mean(tf.square(tf.relu(tf.conv2d(x, w as unknown as tf.Tensor4D, 1, 'same')))) as tf.Scalar,
      );
    step();
    const before = poolStats()!;
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    const after = poolStats()!;
    expect(tf.memory().numTensors).toBe(tensors);
    expect(after.hits - before.hits).toBeGreaterThan(5 * 3);
    expect(after.misses - before.misses).toBeLessThan(after.hits - before.hits);
    tf.dispose([w, x]);
    opt.dispose();
  });
});

describe('BufferPool sizes', () => {
  /** One kernel output of `n` floats: taken, held by a tensor, then freed. */
  function cycle(pool: BufferPool, n: number): void {
    const v = pool.take(n);
    pool.adopt(v, true);
    pool.release(v);
  }

  it('forgets sizes that stopped being asked for, keeps the ones in use', () => {
    const pool = new BufferPool(2 ** 30, 4);
    const small = MIN_POOLED_BYTES / 4;
    cycle(pool, small); // a one-off size (e.g. this batch's count of masked tokens)
    cycle(pool, 2 * small);
    expect(pool.stats().pooledSizes).toBe(2);
    // the working set keeps asking for 2*small and 3*small; 'small' never again
    for (let i = 0; i < 12; i++) cycle(pool, (2 + (i % 2)) * small);
    const s = pool.stats();
    expect(s.pooledSizes).toBe(2);
    expect(s.pooledBytes).toBe((2 + 3) * small * 4);
    const hitsBefore = s.hits;
    cycle(pool, 3 * small);
    expect(pool.stats().hits).toBe(hitsBefore + 1);
  });

  it('without sweeps (a huge interval) one-off sizes would stay', () => {
    const pool = new BufferPool(2 ** 30, 1e9);
    const small = MIN_POOLED_BYTES / 4;
    for (let k = 1; k <= 6; k++) cycle(pool, k * small);
    expect(pool.stats().pooledSizes).toBe(6);
  });

  it('serves requests of nearby sizes from one size class (at most 1/8 spare)', () => {
    for (let bytes = MIN_POOLED_BYTES; bytes < 2 ** 30; bytes = Math.floor(bytes * 1.37) + 4) {
      const c = sizeClass(bytes);
      expect(c).toBeGreaterThanOrEqual(bytes);
      expect(c).toBeLessThanOrEqual(bytes * 1.125);
      expect(sizeClass(c)).toBe(c);
    }
    const pool = new BufferPool();
    const n = 600 * 4096; // e.g. [masked tokens, vocabulary] logits whose row count varies by step
    cycle(pool, n);
    const hits = pool.stats().hits;
    const v = pool.take(n - 3 * 4096);
    expect(v.length).toBe(n - 3 * 4096);
    expect(pool.stats().hits).toBe(hits + 1);
  });
});
