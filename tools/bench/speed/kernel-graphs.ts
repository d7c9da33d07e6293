/**
 * The speed benchmark's three training steps in plain tfjs (ops + variables + tf.train.adam),
 * mirroring peer.py layer for layer so the parameter counts match (printed by run.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** One benchmark: its variables and a step that runs forward, backward and the Adam update. */
export interface SpeedBench {
  name: string;
  params: number;
  step(): void;
  dispose(): void;
}

type Vars = tf.Variable[];

function glorot(shape: number[], fanIn: number, vars: Vars): tf.Variable {
  const v = tf.variable(tf.randomUniform(shape, -Math.sqrt(1 / fanIn), Math.sqrt(1 / fanIn)));
  vars.push(v);
  return v;
}
function constant(shape: number[], value: number, vars: Vars): tf.Variable {
  const v = tf.variable(tf.fill(shape, value));
  vars.push(v);
  return v;
}

function dense(x: tf.Tensor, w: tf.Variable, b: tf.Variable): tf.Tensor {
  const shape = x.shape;
  const flat = x.reshape([-1, shape[shape.length - 1] as number]) as tf.Tensor2D;
  const y = tf.add(tf.matMul(flat, w as tf.Tensor as tf.Tensor2D), b);
  return y.reshape([...shape.slice(0, -1), w.shape[1] as number]);
}

function layerNorm(x: tf.Tensor, g: tf.Variable, b: tf.Variable): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}

function batchNorm(x: tf.Tensor, g: tf.Variable, b: tf.Variable): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2], true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}

function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), logp), 1))) as tf.Scalar;
}

function finish(name: string, vars: Vars, loss: () => tf.Scalar, extra: tf.Tensor[]): SpeedBench {
  const opt = tf.train.adam(1e-3);
  return {
    name,
    params: vars.reduce((n, v) => n + v.size, 0),
    step: () => {
      const l = opt.minimize(loss, true, vars);
      l?.dataSync();
      l?.dispose();
    },
    dispose: () => {
      tf.dispose([...vars, ...extra]);
      opt.dispose();
    },
  };
}

/** SimCLR step: conv encoder 32-64-128 with batchnorm and pooling, 128-128 head, NT-Xent (t=0.5) over two views. */
export function simclr(name: string, batch: number, size: number, channels: number): SpeedBench {
  const vars: Vars = [];
  const convs = [
    [channels, 32],
    [32, 64],
    [64, 128],
  ].map(([i, o]) => ({
    w: glorot([3, 3, i as number, o as number], 9 * (i as number), vars),
    g: constant([o as number], 1, vars),
    b: constant([o as number], 0, vars),
  }));
  const h1w = glorot([128, 128], 128, vars);
  const h1b = constant([128], 0, vars);
  const h2w = glorot([128, 128], 128, vars);
  const h2b = constant([128], 0, vars);
  const x = tf.randomNormal([2 * batch, size, size, channels]) as tf.Tensor4D;
  const n = batch;
  const targets = tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]) as tf.Tensor1D;
  const eyeMask = tf.mul(tf.eye(2 * n), 1e9);
  const loss = () =>
    tf.tidy(() => {
      let h: tf.Tensor = x;
      convs.forEach((c, i) => {
        h = tf.relu(batchNorm(tf.conv2d(h as tf.Tensor4D, c.w as tf.Tensor as tf.Tensor4D, 1, 'same'), c.g, c.b));
        if (i < 2) h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      });
      h = tf.mean(h, [1, 2]);
      const z = dense(tf.relu(dense(h, h1w, h1b)), h2w, h2b);
      const zn = tf.div(z, tf.add(tf.norm(z, 2, 1, true), 1e-12));
      const s = tf.sub(tf.div(tf.matMul(zn as tf.Tensor2D, zn as tf.Tensor2D, false, true), 0.5), eyeMask);
      return crossEntropy(s as tf.Tensor2D, targets);
    });
  return finish(name, vars, loss, [x, targets, eyeMask]);
}

/** Masked-LM step: 2 pre-LN transformer blocks (d=128, 4 heads, ReLU MLP 512), seq 128, batch 32, vocab 8000, loss on 20 masked positions per sequence. */
export function maskedLm(): SpeedBench {
  const vars: Vars = [];
  const V = 8000;
  const D = 128;
  const S = 128;
  const B = 32;
  const H = 4;
  const tok = glorot([V, D], D, vars);
  const pos = glorot([S, D], D, vars);
  const blocks = [0, 1].map(() => ({
    ln1g: constant([D], 1, vars),
    ln1b: constant([D], 0, vars),
    qkvw: glorot([D, 3 * D], D, vars),
    qkvb: constant([3 * D], 0, vars),
    projw: glorot([D, D], D, vars),
    projb: constant([D], 0, vars),
    ln2g: constant([D], 1, vars),
    ln2b: constant([D], 0, vars),
    f1w: glorot([D, 4 * D], D, vars),
    f1b: constant([4 * D], 0, vars),
    f2w: glorot([4 * D, D], 4 * D, vars),
    f2b: constant([D], 0, vars),
  }));
  const lng = constant([D], 1, vars);
  const lnb = constant([D], 0, vars);
  const outw = glorot([D, V], D, vars);
  const outb = constant([V], 0, vars);
  const ids = tf.randomUniform([B, S], 0, V, 'int32');
  const masked: number[] = [];
  for (let b = 0; b < B; b++) {
    const perm = Array.from({ length: S }, (_, i) => i).sort(() => Math.random() - 0.5);
    for (const p of perm.slice(0, 20)) masked.push(b * S + p);
  }
  const maskedIdx = tf.tensor1d(masked, 'int32');
  const labels = tf.randomUniform([masked.length], 0, V, 'int32') as tf.Tensor1D;
  const loss = () =>
    tf.tidy(() => {
      let x: tf.Tensor = tf.add(tf.gather(tok, ids), pos);
      for (const k of blocks) {
        const qkv = dense(layerNorm(x, k.ln1g, k.ln1b), k.qkvw, k.qkvb);
        const [q, kk, v] = tf.split(qkv, 3, 2).map((t) => t.reshape([B, S, H, D / H]).transpose([0, 2, 1, 3]));
        const att = tf.softmax(tf.div(tf.matMul(q as tf.Tensor, kk as tf.Tensor, false, true), Math.sqrt(D / H)));
        const a = tf
          .matMul(att, v as tf.Tensor)
          .transpose([0, 2, 1, 3])
          .reshape([B, S, D]);
        x = tf.add(x, dense(a, k.projw, k.projb));
        x = tf.add(x, dense(tf.relu(dense(layerNorm(x, k.ln2g, k.ln2b), k.f1w, k.f1b)), k.f2w, k.f2b));
      }
      const h = tf.gather(layerNorm(x, lng, lnb).reshape([B * S, D]), maskedIdx);
      return crossEntropy(dense(h, outw, outb) as tf.Tensor2D, labels);
    });
  return finish('masked-lm', vars, loss, [ids, maskedIdx, labels]);
}

/** wav2vec-style step: 7 strided 1-D convs (256 ch) over 1 s at 16 kHz, conv aggregator, linear context, cosine contrastive loss with 100 distractors (kappa 0.1). */
export function wav2vec(): SpeedBench {
  const vars: Vars = [];
  const KS = [10, 3, 3, 3, 3, 2, 2];
  const ST = [5, 2, 2, 2, 2, 2, 2];
  const C = 256;
  const B = 8;
  const convs = KS.map((k, i) => {
    const cin = i === 0 ? 1 : C;
    return { w: glorot([k, cin, C], k * cin, vars), b: constant([C], 0, vars), s: ST[i] as number };
  });
  const aggw = glorot([3, C, C], 3 * C, vars);
  const aggb = constant([C], 0, vars);
  const ctxw = glorot([C, C], C, vars);
  const ctxb = constant([C], 0, vars);
  const wav = tf.randomNormal([B, 16000, 1]) as tf.Tensor3D;
  const T = 49;
  const idx: number[] = [];
  for (let r = 0; r < B * T; r++) {
    const frame = r % T;
    idx.push(r);
    for (let j = 0; j < 100; j++) idx.push(r - frame + ((frame + 1 + Math.floor(Math.random() * (T - 1))) % T));
  }
  const idxT = tf.tensor1d(idx, 'int32');
  const zeros = tf.zeros([B * T], 'int32') as tf.Tensor1D;
  const loss = () =>
    tf.tidy(() => {
      let z: tf.Tensor = wav;
      for (const c of convs)
        z = tf.relu(tf.add(tf.conv1d(z as tf.Tensor3D, c.w as tf.Tensor as tf.Tensor3D, c.s, 'valid'), c.b));
      const agg = tf.relu(tf.add(tf.conv1d(z as tf.Tensor3D, aggw as tf.Tensor as tf.Tensor3D, 1, 'same'), aggb));
      const ctx = dense(agg, ctxw, ctxb).reshape([B * T, 1, C]);
      const cand = tf.gather(z.reshape([B * T, C]), idxT).reshape([B * T, 101, C]);
      const norm = (t: tf.Tensor) => tf.div(t, tf.add(tf.norm(t, 2, -1, true), 1e-8));
      const logits = tf.div(tf.matMul(norm(ctx), norm(cand), false, true).reshape([B * T, 101]), 0.1);
      return crossEntropy(logits as tf.Tensor2D, zeros);
    });
  return finish('wav2vec', vars, loss, [wav, idxT, zeros]);
}

/** The benchmarks by name, as peer.py names them. */
export const BENCHES: Record<string, () => SpeedBench> = {
  'simclr-cifar': () => simclr('simclr-cifar', 64, 32, 3),
  'simclr-mnist': () => simclr('simclr-mnist', 256, 28, 1),
  'masked-lm': maskedLm,
  wav2vec,
};
