import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../../tools/test/backends.js';
import type { OptimizerOptions } from '../options.js';
import { createOptimizer } from './create-optimizer.js';
import { Lars } from './lars.js';

// Fixtures from tools/fixtures/optim/make_fixtures.py (torch.optim and a reference LARS in torch).
type Nested = number | Nested[];
interface Case {
  name: OptimizerOptions['name'];
  options: Partial<OptimizerOptions>;
  lrs: number[];
  params: Record<string, Nested>;
  grads: Record<string, Nested>[];
  expected: Record<string, Nested>[];
}
const fixturePath = fileURLToPath(new URL('../../../../../tools/fixtures/optim/optimizers.json', import.meta.url));
const cases = JSON.parse(readFileSync(fixturePath, 'utf8')) as Case[];

function maxAbsDiff(a: Nested, b: Nested): number {
  const fa = ([a] as unknown[]).flat(Infinity) as number[];
  const fb = ([b] as unknown[]).flat(Infinity) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((m, x, i) => Math.max(m, Math.abs(x - fb[i]!)), 0);
}

const backends = await testBackends();

describe.each(backends)('optimizers vs torch on %s', (backend) => {
  beforeAll(() => tf.setBackend(backend));
  afterAll(async () => {
    tf.disposeVariables();
    await tf.setBackend('cpu');
  });
  cases.forEach((c, ci) => {
    it(`${c.name} #${ci} ${JSON.stringify(c.options)}`, () => {
      const params = new Map<string, tf.Variable>();
      for (const [k, v] of Object.entries(c.params)) params.set(k, tf.variable(tf.tensor(v as number[])));
      const opt = createOptimizer({ name: c.name, lr: 0, ...c.options }, params);
      const before = tf.memory().numTensors;
      for (let t = 0; t < c.lrs.length; t++) {
        const grads = new Map(Object.entries(c.grads[t]!).map(([k, v]) => [k, tf.tensor(v as number[])] as const));
        opt.step(grads, c.lrs[t]!);
        tf.dispose([...grads.values()]);
        for (const [k, p] of params) {
          expect(maxAbsDiff(p.arraySync() as Nested, c.expected[t]![k]!), `${k} after step ${t + 1}`).toBeLessThan(
            2e-6,
          );
        }
        expect(tf.memory().numTensors).toBe(before);
      }
      expect(opt.stepCount).toBe(c.lrs.length);
      opt.dispose();
      for (const p of params.values()) p.dispose();
    });
  });

  it('restores slots and step count exactly (save after 3 steps, continue in a fresh optimizer)', () => {
    const c = cases.find((x) => x.name === 'adam')!;
    const mk = () =>
      new Map(Object.entries(c.params).map(([k, v]) => [k, tf.variable(tf.tensor(v as number[]))] as const));
    const grad = (t: number) =>
      new Map(Object.entries(c.grads[t]!).map(([k, v]) => [k, tf.tensor(v as number[])] as const));
    const pa = mk();
    const a = createOptimizer({ name: 'adam', lr: 0, ...c.options }, pa);
    for (let t = 0; t < 3; t++) a.step(grad(t), c.lrs[t]!);
    const saved = new Map([...a.state()].map(([k, v]) => [k, v.clone()] as const));
    const pb = new Map([...pa].map(([k, v]) => [k, tf.variable(v.clone())] as const));
    const b = createOptimizer({ name: 'adam', lr: 0, ...c.options }, pb);
    b.loadState(saved, a.stepCount);
    for (let t = 3; t < c.lrs.length; t++) {
      a.step(grad(t), c.lrs[t]!);
      b.step(grad(t), c.lrs[t]!);
    }
    for (const [k, v] of pa) expect(pb.get(k)!.arraySync()).toEqual(v.arraySync());
    expect(() => b.loadState(new Map(), 1)).toThrow(/no adam slot/);
  });

  it('LARS excludes 1-D parameters and bias / batch-norm names by default, or by a given rule', () => {
    const v = (shape: number[]) => tf.variable(tf.ones(shape));
    const params = new Map([
      ['encoder/conv1/kernel', v([3, 3, 1, 4])],
      ['encoder/conv1/bias', v([4])],
      ['encoder/bn1/gamma', v([4])],
      ['head/batch_norm/scale', v([4, 4])],
      ['proj/biased', v([4, 4])],
      ['proj/kernel', v([4, 4])],
    ]);
    const lars = new Lars(params);
    expect([...params.keys()].filter((k) => lars.excludes(k))).toEqual([
      'encoder/conv1/bias',
      'encoder/bn1/gamma',
      'head/batch_norm/scale',
    ]);
    const custom = new Lars(params, { exclude: '^proj/' });
    expect([...params.keys()].filter((k) => custom.excludes(k))).toEqual([
      'encoder/conv1/bias',
      'encoder/bn1/gamma',
      'proj/biased',
      'proj/kernel',
    ]);
    const byPredicate = new Lars(params, {}, (name) => name.startsWith('head/'));
    expect([...params.keys()].filter((k) => byPredicate.excludes(k))).toEqual(['head/batch_norm/scale']);
    for (const o of [lars, custom, byPredicate]) o.dispose();
    for (const p of params.values()) p.dispose();
  });
});
