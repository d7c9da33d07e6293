/**
 * The checks a `Net` must pass beside its tf.layers twin (the same layers built with the same
 * seeded initialisers), bit for bit on tfjs's cpu backend: variables, outputs in training and
 * inference mode, gradients in the input and every weight, flat tensor counts, and the exported
 * tf.layers model's output. Shared by the net layers' tests.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Net } from '../nn/net.js';
import { tensorsLeftBy } from './tensor-count.js';

/** `a` and `b` have the same shape and the same float32 values, bit for bit. */
export function expectSame(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
}

/** A net, its tf.layers twin, an input batch and a target the loss `sum(y * target)` uses. */
export interface NetTwin {
  net: Net;
  ref: tf.LayersModel;
  x: tf.Tensor;
  target: tf.Tensor;
}

/** Registers the twin checks (call inside a `describe`); `make` runs before them. */
export function itMatchesTwin(make: () => NetTwin): void {
  let t: NetTwin;
  beforeAll(() => {
    t = make();
  });
  afterAll(() => {
    t.net.dispose();
    t.ref.dispose();
    tf.dispose([t.x, t.target]);
  });
  const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, t.target)) as tf.Scalar;

  it('has the same variables, names and initial values, in the same order', () => {
    const ours = [...t.net.trainableVariables()];
    const theirs = t.ref.trainableWeights;
    expect(ours.map(([k]) => k)).toEqual(theirs.map((w) => `${t.net.prefix}${w.originalName}`));
    for (const [i, [, v]] of ours.entries()) expectSame(v, theirs[i]!.read());
    expect(t.net.outputShape).toEqual((t.ref.outputs[0]!.shape as (number | null)[]).slice(1));
  });

  it('gives the same output in training and inference mode', () => {
    for (const training of [true, false]) {
      const a = t.net.apply(t.x, training);
      const b = t.ref.apply(t.x, { training }) as tf.Tensor;
      expectSame(a, b);
      tf.dispose([a, b]);
    }
  });

  it('gives the same gradients in the input and every weight', () => {
    const ours = [...t.net.trainableVariables().values()];
    const theirs = t.ref.trainableWeights.map((w) => w.read() as tf.Variable);
    const gx = (f: (v: tf.Tensor) => tf.Tensor) => tf.grad((v: tf.Tensor) => loss(f(v)))(t.x);
    const a = gx((v) => t.net.apply(v, true));
    const b = gx((v) => t.ref.apply(v, { training: true }) as tf.Tensor);
    expectSame(a, b);
    const ga = tf.variableGrads(() => loss(t.net.apply(t.x, true)), ours);
    const gb = tf.variableGrads(() => loss(t.ref.apply(t.x, { training: true }) as tf.Tensor), theirs);
    expectSame(ga.value, gb.value);
    expect(ours.length).toBe(theirs.length);
    for (const [i, v] of ours.entries()) expectSame(ga.grads[v.name]!, gb.grads[theirs[i]!.name]!);
    tf.dispose([a, b, ga.value, gb.value, ...Object.values(ga.grads), ...Object.values(gb.grads)]);
  });

  it('keeps the tensor count flat across applies and gradient steps', () => {
    const vars = [...t.net.trainableVariables().values()];
    expect(tensorsLeftBy(() => tf.dispose(t.net.apply(t.x, true)), 3)).toBe(0);
    expect(tensorsLeftBy(() => tf.dispose(t.net.apply(t.x, false)), 3)).toBe(0);
    const step = () => {
      const g = tf.variableGrads(() => loss(t.net.apply(t.x, true)), vars);
      tf.dispose([g.value, ...Object.values(g.grads)]);
    };
    expect(tensorsLeftBy(step, 3)).toBe(0);
  });

  it('exports to a tf.layers model with the same output', () => {
    const model = t.net.toLayersModel();
    try {
      const a = t.net.apply(t.x, false);
      const b = model.predict(t.x) as tf.Tensor;
      expectSame(a, b);
      tf.dispose([a, b]);
    } finally {
      model.dispose();
    }
  });
}
