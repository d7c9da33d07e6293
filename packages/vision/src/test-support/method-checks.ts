/**
 * Checks the two-view method tests share: a short run on real MNIST must not collapse (the
 * std of the l2-normalised embeddings and their effective rank stay up, core's
 * collapseDiagnostics), and a run interrupted and resumed from its checkpoint must end with
 * the same state (queues, running covariances, momentum encoders) as an uninterrupted one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CollapseDiagnostics,
  collapseDiagnostics,
  Rng,
  type StepInfo,
  type TensorDataset,
  Trainer,
} from '@autodidact/core';
import type * as tf from '@tensorflow/tfjs';
import { methods } from '../methods/registry.js';

const build = (name: string, options: Record<string, unknown>, seed: number) =>
  methods.get(name).create({ sampleShape: [28, 28, 1], options, rng: new Rng(seed) });

/** Collapse diagnostics of the encoder's embeddings of 256 images after `steps` steps of batch 64. */
export async function diagnosticsAfter(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
  steps = 30,
): Promise<CollapseDiagnostics> {
  const method = build(name, options, 0);
  await new Trainer(method, {
    batchSize: 64,
    steps,
    seed: 0,
    quiet: true,
    optimizer: { name: 'adam', lr: 2e-3 },
  }).fit(data);
  const x = data.getBatch(Array.from({ length: 256 }, (_, i) => i));
  const z = method.embed(x);
  const d = collapseDiagnostics(z);
  (z as tf.Tensor).dispose();
  x.dispose();
  method.dispose();
  return d;
}

/**
 * The state variable `key` after 6 steps run straight through and after 4 steps, a checkpoint
 * and a resumed run to 6, as arrays.
 */
export async function stateAfterResume(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
  key: string,
): Promise<{ straight: number[]; resumed: number[]; atCheckpoint: number[] }> {
  const all = await allStateAfterResume(name, options, data);
  const get = (m: Map<string, number[]>) => {
    const v = m.get(key);
    if (!v) throw new Error(`${name} has no state variable ${key}`);
    return v;
  };
  return { straight: get(all.straight), resumed: get(all.resumed), atCheckpoint: get(all.atCheckpoint) };
}

/** As {@link stateAfterResume}, for every state variable of the method (name -> values). */
export async function allStateAfterResume(
  name: string,
  options: Record<string, unknown>,
  data: TensorDataset,
): Promise<{ straight: Map<string, number[]>; resumed: Map<string, number[]>; atCheckpoint: Map<string, number[]> }> {
  const values = (m: { stateVariables(): Map<string, tf.Variable> }) =>
    new Map([...m.stateVariables()].map(([k, v]) => [k, Array.from(v.dataSync())]));
  const dir = await mkdtemp(join(tmpdir(), `autodidact-${name}-resume-`));
  const settings = {
    batchSize: 32,
    seed: 2,
    quiet: true,
    optimizer: { name: 'adam', lr: 2e-3 },
    checkpointEvery: 4,
    checkpointEverySeconds: 0,
    diagnosticsEvery: 0,
  } as const;
  try {
    const a = build(name, options, 3);
    await new Trainer(a, { ...settings, steps: 6 }).fit(data);
    const straight = values(a);
    a.dispose();
    const b = build(name, options, 3);
    // Planned for 6 steps (schedules as the straight run), stopped after the checkpoint at step 4.
    const first: Trainer = new Trainer(b, { ...settings, steps: 6, checkpointDir: dir }, [
      {
        onStepEnd: (i: StepInfo): void => {
          if (i.step >= 4) first.stop('interrupted');
        },
      },
    ]);
    await first.fit(data);
    const atCheckpoint = values(b);
    b.dispose();
    const c = build(name, options, 99); // other initial values: everything must come from the checkpoint
    await new Trainer(c, { ...settings, steps: 6, checkpointDir: dir }).fit(data);
    const resumed = values(c);
    c.dispose();
    return { straight, resumed, atCheckpoint };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
