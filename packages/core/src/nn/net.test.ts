/**
 * Net and its layers against the tf.layers layers they replace, on the cpu backend: each layer of
 * net-layers.ts beside its tf.layers twin (same initialiser seeds, same shapes), a small residual
 * net beside the same tf.layers functional model, the export model `toLayersModel` builds, tensor
 * counts and disposal, and the ConfigErrors of bad layer names. Every comparison is exact: the
 * net runs the ops tf.layers runs, so outputs, gradients and moving statistics are bit-identical.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { tensorsLeftBy } from '../test-support/tensor-count.js';
import { batchNormalization } from '../test-support/fused-batch-norm-layer.js';
import { type Net, NetBuilder, type NetLayer, type NetTensor } from './net.js';
import {
  add,
  batchNorm,
  conv2d,
  conv2dTranspose,
  dense,
  flatten,
  globalAveragePool2d,
  maxPool2d,
  reshape,
  relu,
  zeroPad2d,
} from './net-layers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** A net of one layer `l` applied to the input, variables under `p/`. */
function oneLayerNet(inputShape: number[], layer: NetLayer): Net {
  const b = new NetBuilder('one', 'p/', inputShape);
  return b.build(b.apply('l', layer, b.input()));
}

/** A tf.layers model of one layer on an input of `inputShape` (per sample). */
function oneLayerModel(inputShape: number[], layer: tf.layers.Layer): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  return tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
}

/** The same random values into the net's variables and the model's weights (same order), positive for variances. */
function setSameWeights(net: Net, model: tf.LayersModel, seed: number): void {
  const netVars = [...net.allVariables().entries()];
  const layerVars = model.weights;
  expect(netVars.length).toBe(layerVars.length);
  const fresh = netVars.map(([name, v], i) =>
    tf.tidy(() => {
      const r = tf.randomNormal(v.shape, 0, 0.5, 'float32', seed + i);
      return name.endsWith('moving_variance') ? tf.add(tf.abs(r), 0.5) : r;
    }),
  );
  netVars.forEach(([, v], i) => {
    v.assign(fresh[i]!);
  });
  model.setWeights(fresh);
  tf.dispose(fresh);
}

/** Output, loss and gradients in the input and every trainable weight of one training or inference call. */
interface StepResult {
  y: number[];
  loss: number[];
  grads: number[][];
}

/**
 * One call of `f` on `x` in `training` mode, differentiated: the loss is `sum(f(x) * r)` with a
 * fixed random `r` (so every output element carries its own gradient); the gradient list is the
 * input's, then `weights`' in order.
 */
function step(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, weights: tf.Variable[], seed: number): StepResult {
  // a variable only to differentiate in x beside the weights, in one pass of f
  const xv = tf.tidy(() => tf.variable(x.clone(), true));
  let y: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = f(xv);
    y = tf.keep(out);
    const r = tf.randomNormal(out.shape, 0, 1, 'float32', seed);
    return tf.sum(tf.mul(out, r)) as tf.Scalar;
  }, [xv, ...weights]);
  const result: StepResult = {
    y: values(y!),
    loss: values(value),
    grads: [xv, ...weights].map((v) => values(grads[v.name]!)),
  };
  tf.dispose([xv, y!, value, ...Object.values(grads)]);
  return result;
}

/** Trainable variables of a tf.layers model, in its weight order. */
function modelTrainables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

interface LayerCase {
  name: string;
  /** Input shape with the batch axis. */
  shape: number[];
  net: () => NetLayer;
  twin: () => tf.layers.Layer;
  /** Whether the layer has variables made by a seeded initialiser (compared before any change). */
  seeded?: boolean;
}

const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
const heSeeded = (seed: number) => tf.initializers.heNormal({ seed });

/**
 * A case whose tf.layers twin takes the net layer's own `options` (and the name `l`); its
 * variables come from the seeded initialiser in `options`.
 */
function mirrored<O extends object>(
  name: string,
  shape: number[],
  net: (o: O) => NetLayer,
  twin: (o: O & { name: string }) => tf.layers.Layer,
  options: NoInfer<O>,
): LayerCase {
  return { name, shape, net: () => net(options), twin: () => twin({ name: 'l', ...options }), seeded: true };
}

const cases: LayerCase[] = [
  mirrored('conv2d 3x3 same, bias, linear', [3, 6, 6, 2], conv2d, tf.layers.conv2d, {
    filters: 4,
    kernelSize: 3,
    padding: 'same',
    kernelInitializer: heSeeded(11),
  }),
  mirrored('conv2d 3x2 strides [2,1] valid, no bias, fused relu', [2, 7, 5, 3], conv2d, tf.layers.conv2d, {
    filters: 5,
    kernelSize: [3, 2],
    strides: [2, 1],
    useBias: false,
    activation: 'relu',
    kernelInitializer: seeded(12),
  }),
  mirrored('conv2dTranspose 3x3 stride 2 same, bias', [2, 4, 3, 3], conv2dTranspose, tf.layers.conv2dTranspose, {
    filters: 2,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    kernelInitializer: seeded(13),
  }),
  mirrored('conv2dTranspose 3x3 stride 2 valid, no bias', [2, 3, 4, 2], conv2dTranspose, tf.layers.conv2dTranspose, {
    filters: 3,
    kernelSize: 3,
    strides: 2,
    useBias: false,
    kernelInitializer: heSeeded(14),
  }),
  mirrored('dense, bias, linear', [5, 7], dense, tf.layers.dense, { units: 4, kernelInitializer: seeded(15) }),
  mirrored('dense, no bias, fused relu', [5, 6], dense, tf.layers.dense, {
    units: 3,
    useBias: false,
    activation: 'relu',
    kernelInitializer: heSeeded(16),
  }),
  mirrored('batch norm on [batch, h, w, c]', [4, 3, 3, 5], batchNorm, batchNormalization, {
    momentum: 0.9,
    epsilon: 1e-5,
  }),
  mirrored('batch norm on [batch, features], momentum 0.7, epsilon 1e-3', [6, 4], batchNorm, batchNormalization, {
    momentum: 0.7,
    epsilon: 1e-3,
  }),
  { name: 'relu', shape: [3, 4, 4, 2], net: () => relu(), twin: () => tf.layers.reLU({ name: 'l' }) },
  {
    name: 'maxPool2d 2 (strides = pool)',
    shape: [2, 6, 5, 3],
    net: () => maxPool2d(2),
    twin: () => tf.layers.maxPooling2d({ name: 'l', poolSize: 2 }),
  },
  {
    name: 'maxPool2d 3 stride 2 same',
    shape: [2, 7, 6, 2],
    net: () => maxPool2d(3, 2, 'same'),
    twin: () => tf.layers.maxPooling2d({ name: 'l', poolSize: 3, strides: 2, padding: 'same' }),
  },
  {
    name: 'globalAveragePool2d',
    shape: [3, 5, 4, 6],
    net: () => globalAveragePool2d(),
    twin: () => tf.layers.globalAveragePooling2d({ name: 'l' }),
  },
  {
    name: 'zeroPad2d 2',
    shape: [2, 3, 4, 2],
    net: () => zeroPad2d(2),
    twin: () => tf.layers.zeroPadding2d({ name: 'l', padding: 2 }),
  },
  { name: 'flatten', shape: [2, 3, 4, 2], net: () => flatten(), twin: () => tf.layers.flatten({ name: 'l' }) },
  {
    name: 'reshape',
    shape: [2, 24],
    net: () => reshape([4, 3, 2]),
    twin: () => tf.layers.reshape({ name: 'l', targetShape: [4, 3, 2] }),
  },
];

describe('net layers against their tf.layers twins (cpu, exact)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const net = oneLayerNet(c.shape.slice(1), c.net());
      const model = oneLayerModel(c.shape.slice(1), c.twin());
      expect(net.outputShape).toEqual(model.outputs[0]!.shape.slice(1));

      // same variable names (tf.layers' original names under the prefix), same order, same initial values
      const netVars = [...net.allVariables().entries()];
      expect(netVars.map(([n]) => n)).toEqual(model.weights.map((w) => `p/${w.originalName}`));
      expect([...net.trainableVariables().keys()]).toEqual(model.trainableWeights.map((w) => `p/${w.originalName}`));
      if (c.seeded) {
        const initial = model.getWeights();
        netVars.forEach(([, v], i) => {
          expect(values(v)).toEqual(values(initial[i]!));
        });
      } else {
        expect(netVars).toEqual([]);
      }
      // weights away from their initial values (zero biases, unit gamma hide mistakes)
      setSameWeights(net, model, 100);
      const startState = netVars.map(([, v]) => values(v));

      const netWeights = [...net.trainableVariables().values()];
      const modelWeights = modelTrainables(model);
      const run = (training: boolean, seed: number) => {
        const x = tf.randomNormal(c.shape, 0.5, 1.5, 'float32', seed);
        const ours = step((xx) => net.apply(xx, training), x, netWeights, seed + 1);
        const theirs = step((xx) => model.apply(xx, { training }) as tf.Tensor, x, modelWeights, seed + 1);
        x.dispose();
        expect(ours.y.length).toBeGreaterThan(0);
        expect(ours.y).toEqual(theirs.y);
        expect(ours.loss).toEqual(theirs.loss);
        expect(ours.grads.length).toBe(1 + netWeights.length);
        ours.grads.forEach((g, i) => {
          expect(g, `gradient ${i} (0: input)`).toEqual(theirs.grads[i]);
        });
      };
      run(false, 1);
      run(true, 2);
      run(true, 3);
      // two training calls moved the batch-norm statistics alike
      // (getWeights gives the model's own variables: not to be disposed here)
      const modelAll = model.getWeights();
      netVars.forEach(([name, v], i) => {
        expect(values(v), name).toEqual(values(modelAll[i]!));
      });
      netVars.forEach(([name, v], i) => {
        // the statistics did move (the comparison above is not of untouched values); nothing else did
        if (name.includes('moving_')) expect(values(v), name).not.toEqual(startState[i]);
        else expect(values(v), name).toEqual(startState[i]);
      });
      run(false, 4);

      net.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('add: sum of three branches in order, gradients into each', () => {
    // a = conv(x), b = conv(a), c = conv(b), out = a + b + c: three different summands (a float
    // sum of three depends on their order) and no tensor feeding more than two layers (the order
    // of summing three gradient terms would follow the order the layers ran, which is tf.layers'
    // own for the model, not the net's declaration order).
    const shape = [3, 4, 4, 2];
    const conv = (seed: number) => conv2d({ filters: 2, kernelSize: 1, kernelInitializer: seeded(seed) });
    const b = new NetBuilder('sum', 'p/', shape.slice(1));
    const a1 = b.apply('a', conv(21), b.input());
    const b1 = b.apply('b', conv(22), a1);
    const c1 = b.apply('c', conv(23), b1);
    const net = b.build(b.apply('l', add(), [a1, b1, c1]));

    const input = tf.input({ shape: shape.slice(1) });
    const twin = (name: string, seed: number, x: tf.SymbolicTensor) =>
      tf.layers
        .conv2d({ name, filters: 2, kernelSize: 1, kernelInitializer: seeded(seed) })
        .apply(x) as tf.SymbolicTensor;
    const a2 = twin('a', 21, input);
    const b2 = twin('b', 22, a2);
    const c2 = twin('c', 23, b2);
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.add({ name: 'l' }).apply([a2, b2, c2]) as tf.SymbolicTensor,
    });
    setSameWeights(net, model, 200);
    const x = tf.randomNormal(shape, 0, 1, 'float32', 22);
    const ours = step((xx) => net.apply(xx, true), x, [...net.trainableVariables().values()], 23);
    const theirs = step((xx) => model.apply(xx, { training: true }) as tf.Tensor, x, modelTrainables(model), 23);
    expect(ours.y).toEqual(theirs.y);
    expect(ours.loss).toEqual(theirs.loss);
    ours.grads.forEach((g, i) => {
      expect(g, `gradient ${i} (0: input)`).toEqual(theirs.grads[i]);
    });
    x.dispose();
    net.dispose();
    model.dispose();
  });
});

/**
 * conv1 -> bn1 -> relu1 -> pad -> conv2 (stride 2) -> bn2, plus a strided 1x1 shortcut of relu1,
 * added, relu, global average pool, dense: a ResNet basic block in little.
 */
function residualNet(): Net {
  const b = new NetBuilder('res', 'res/', [8, 8, 3]);
  let x: NetTensor = b.input();
  x = b.apply(
    'conv1',
    conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: heSeeded(31) }),
    x,
  );
  x = b.apply('bn1', batchNorm(), x);
  const r1 = b.apply('relu1', relu(), x);
  x = b.apply('pad', zeroPad2d(1), r1);
  x = b.apply(
    'conv2',
    conv2d({ filters: 6, kernelSize: 3, strides: 2, useBias: false, kernelInitializer: heSeeded(32) }),
    x,
  );
  x = b.apply('bn2', batchNorm(), x);
  const sc = b.apply(
    'shortcut',
    conv2d({ filters: 6, kernelSize: 1, strides: 2, useBias: false, kernelInitializer: heSeeded(33) }),
    r1,
  );
  x = b.apply('add', add(), [x, sc]);
  x = b.apply('relu2', relu(), x);
  x = b.apply('gap', globalAveragePool2d(), x);
  return b.build(b.apply('fc', dense({ units: 4, kernelInitializer: seeded(34) }), x));
}

function residualModel(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'input' });
  const ap = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(x) as tf.SymbolicTensor;
  let x = ap(
    tf.layers.conv2d({
      name: 'conv1',
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: heSeeded(31),
    }),
    input,
  );
  x = ap(batchNormalization({ name: 'bn1', momentum: 0.9, epsilon: 1e-5 }), x);
  const r1 = ap(tf.layers.reLU({ name: 'relu1' }), x);
  x = ap(tf.layers.zeroPadding2d({ name: 'pad', padding: 1 }), r1);
  x = ap(
    tf.layers.conv2d({
      name: 'conv2',
      filters: 6,
      kernelSize: 3,
      strides: 2,
      useBias: false,
      kernelInitializer: heSeeded(32),
    }),
    x,
  );
  x = ap(batchNormalization({ name: 'bn2', momentum: 0.9, epsilon: 1e-5 }), x);
  const sc = ap(
    tf.layers.conv2d({
      name: 'shortcut',
      filters: 6,
      kernelSize: 1,
      strides: 2,
      useBias: false,
      kernelInitializer: heSeeded(33),
    }),
    r1,
  );
  x = ap(tf.layers.add({ name: 'add' }), [x, sc]);
  x = ap(tf.layers.reLU({ name: 'relu2' }), x);
  x = ap(tf.layers.globalAveragePooling2d({ name: 'gap' }), x);
  return tf.model({
    name: 'res',
    inputs: input,
    outputs: ap(tf.layers.dense({ name: 'fc', units: 4, kernelInitializer: seeded(34) }), x),
  });
}

const TRAINABLE = [
  'res/conv1/kernel',
  'res/bn1/gamma',
  'res/bn1/beta',
  'res/conv2/kernel',
  'res/bn2/gamma',
  'res/bn2/beta',
  'res/shortcut/kernel',
  'res/fc/kernel',
  'res/fc/bias',
];
const STATE = ['res/bn1/moving_mean', 'res/bn1/moving_variance', 'res/bn2/moving_mean', 'res/bn2/moving_variance'];

/** The model's weights by `res/<layer>/<weight>`. */
function modelWeightsByName(model: tf.LayersModel): Map<string, tf.LayerVariable> {
  return new Map(model.weights.map((w) => [`res/${w.originalName}`, w]));
}

describe('a residual net against the same tf.layers model (cpu, exact)', () => {
  it('has the variables in creation order, trainable first, then the moving statistics', () => {
    const net = residualNet();
    expect([...net.trainableVariables().keys()]).toEqual(TRAINABLE);
    expect([...net.allVariables().keys()]).toEqual([...TRAINABLE, ...STATE]);
    expect(net.layerNames).toEqual([
      'conv1',
      'bn1',
      'relu1',
      'pad',
      'conv2',
      'bn2',
      'shortcut',
      'add',
      'relu2',
      'gap',
      'fc',
    ]);
    expect(net.outputShape).toEqual([4]);
    expect(net.shapeOf('pad')).toEqual([10, 10, 6]);
    expect(net.shapeOf('add')).toEqual([4, 4, 6]);
    for (const v of net.allVariables().values()) expect(v.trainable).toBe(TRAINABLE.includes(nameOf(net, v)));
    net.dispose();
  });

  it('gives the same initial weights, outputs, gradients and moving statistics', () => {
    const before = tf.memory().numTensors;
    const net = residualNet();
    const model = residualModel();
    const byName = modelWeightsByName(model);
    expect([...byName.keys()].sort()).toEqual([...TRAINABLE, ...STATE].sort());
    for (const [name, v] of net.allVariables()) expect(values(v), name).toEqual(values(byName.get(name)!.read()));

    const netWeights = [...net.trainableVariables().values()];
    const modelWeights = TRAINABLE.map((n) => byName.get(n)!.read() as tf.Variable);
    const run = (training: boolean, seed: number) => {
      const x = tf.randomNormal([5, 8, 8, 3], 0.3, 1.2, 'float32', seed);
      const ours = step((xx) => net.apply(xx, training), x, netWeights, seed + 1);
      const theirs = step((xx) => model.apply(xx, { training }) as tf.Tensor, x, modelWeights, seed + 1);
      x.dispose();
      expect(ours.y).toEqual(theirs.y);
      expect(ours.loss).toEqual(theirs.loss);
      ours.grads.forEach((g, i) => {
        expect(g, i === 0 ? 'input gradient' : TRAINABLE[i - 1]).toEqual(theirs.grads[i]);
      });
    };
    run(true, 41);
    run(true, 42);
    for (const name of STATE) {
      expect(values(net.allVariables().get(name)!), name).toEqual(values(byName.get(name)!.read()));
    }
    run(false, 43);
    // applyTo: an inner layer's output is the model's at that layer
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 44);
    const inner = net.applyTo(x, false, 'add');
    const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('add').output as tf.SymbolicTensor });
    const ref = sub.predict(x) as tf.Tensor;
    expect(inner.shape).toEqual([2, 4, 4, 6]);
    expect(values(inner)).toEqual(values(ref));
    tf.dispose([x, inner, ref]);
    net.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

function nameOf(net: Net, v: tf.Variable): string {
  for (const [name, w] of net.allVariables()) if (w === v) return name;
  throw new Error('not a variable of the net');
}

describe('Net.toLayersModel', () => {
  it('builds the equivalent model with copies of the weights', () => {
    const net = residualNet();
    // train a little so the moving statistics and weights are not the initial ones
    const x = tf.randomNormal([6, 8, 8, 3], 0.2, 1, 'float32', 51);
    tf.tidy(() => {
      net.apply(x, true);
      net.apply(tf.mul(x, 2), true);
    });
    const model = net.toLayersModel();
    expect(model.name).toBe('res');
    expect(model.layers.map((l) => l.name)).toEqual(['input', ...net.layerNames]);
    expect(model.layers.slice(1).map((l) => l.getClassName())).toEqual([
      'Conv2D',
      'BatchNormalization',
      'ReLU',
      'ZeroPadding2D',
      'Conv2D',
      'BatchNormalization',
      'Conv2D',
      'Add',
      'ReLU',
      'GlobalAveragePooling2D',
      'Dense',
    ]);
    const byName = modelWeightsByName(model);
    expect([...byName.keys()].sort()).toEqual([...net.allVariables().keys()].sort());
    const exportedWeights = new Map([...net.allVariables()].map(([name, v]) => [name, values(v)]));
    for (const [name, v] of exportedWeights) expect(values(byName.get(name)!.read()), name).toEqual(v);

    const ours = net.apply(x, false);
    const exported = model.predict(x) as tf.Tensor;
    expect(values(exported)).toEqual(values(ours));

    // later changes of the net do not reach the exported model
    for (const v of net.allVariables().values()) v.assign(tf.zerosLike(v));
    tf.tidy(() => {
      net.apply(x, true);
    });
    const changed = net.apply(x, false);
    expect(values(changed)).not.toEqual(values(ours));
    const again = model.predict(x) as tf.Tensor;
    expect(values(again)).toEqual(values(exported));
    for (const [name, w] of byName) expect(values(w.read()), name).toEqual(exportedWeights.get(name));
    // nor does disposing the net
    net.dispose();
    const afterDispose = model.predict(x) as tf.Tensor;
    expect(values(afterDispose)).toEqual(values(exported));
    tf.dispose([x, ours, exported, changed, again, afterDispose]);
    model.dispose();
  });
});

describe('Net memory', () => {
  it('keeps the tensor count flat over training applies and frees every variable on dispose', () => {
    const before = tf.memory().numTensors;
    const net = residualNet();
    const vars = [...net.allVariables().values()];
    expect(tf.memory().numTensors).toBe(before + vars.length);
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 61);
    const mean = net.allVariables().get('res/bn1/moving_mean')!;
    const start = values(mean);
    let calls = 0;
    const left = tensorsLeftBy(() => {
      calls++;
      tf.tidy(() => {
        net.apply(x, true);
      });
    }, 5);
    expect(calls).toBe(6);
    expect(left).toBe(0);
    expect(values(mean)).not.toEqual(start);
    // and the same with gradients
    const weights = [...net.trainableVariables().values()];
    const grads = () => {
      const { value, grads: g } = tf.variableGrads(() => tf.sum(net.apply(x, true)) as tf.Scalar, weights);
      tf.dispose([value, ...Object.values(g)]);
    };
    expect(tensorsLeftBy(grads, 5)).toBe(0);
    x.dispose();
    net.dispose();
    expect(vars.every((v) => v.isDisposed)).toBe(true);
    expect(net.allVariables().size).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Net errors', () => {
  it('refuses a duplicate layer name, naming it', () => {
    const b = new NetBuilder('dup', 'd/', [4]);
    const x = b.apply('hidden_one', dense({ units: 3, kernelInitializer: seeded(71) }), b.input());
    let err: unknown;
    try {
      b.apply('hidden_one', relu(), x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("'hidden_one'");
    b.build(x).dispose();
  });

  it('refuses an unknown layer in applyTo and shapeOf, naming it', () => {
    const b = new NetBuilder('known', 'k/', [4]);
    const net = b.build(b.apply('only', relu(), b.input()));
    const x = tf.ones([2, 4]);
    expect(() => net.applyTo(x, false, 'no_such_layer')).toThrow(ConfigError);
    expect(() => net.applyTo(x, false, 'no_such_layer')).toThrow(/'no_such_layer'/);
    expect(() => net.shapeOf('no_such_layer')).toThrow(/'no_such_layer'/);
    const y = net.applyTo(x, false, 'only');
    expect(values(y)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    tf.dispose([x, y]);
    net.dispose();
  });
});
