import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, Trainer } from '@autodidact/core';
import { expect, it } from 'vitest';
import { dataFile, mnistBeforeAll } from '../test-support/data.js';
import { expectNoCollapse } from '../test-support/method-checks.js';
import { SupCon } from './supcon.js';

const mnist = mnistBeforeAll(512);
const labeled = () => ({
  encoder: 'mlp',
  labeledData: dataFile('mnist', 'train-images-idx3-ubyte'),
  labeledCount: 512,
});

it('does not collapse on real MNIST over a short run', () => expectNoCollapse('supcon', labeled(), mnist.images, 5));

it('refuses a data set without labels, and a run with no labelled set, in one line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'autodidact-supcon-'));
  try {
    const lonely = join(dir, 'train-images-idx3-ubyte');
    await writeFile(lonely, new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]));
    expect(() => new SupCon([28, 28, 1], { encoder: 'mlp', labeledData: lonely }, new Rng(0))).toThrow(
      /^.*supcon needs labels: no labels file beside these images[^\n]*$/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const m = new SupCon([28, 28, 1], { encoder: 'mlp' }, new Rng(0));
  await expect(new Trainer(m, { batchSize: 8, steps: 1, quiet: true }).fit(mnist.images)).rejects.toThrow(
    /supcon needs labels: pass the option 'labeledData'/,
  );
  m.dispose();
});

it('loads the first labeledCount images with their labels', () => {
  const m = new SupCon([28, 28, 1], labeled(), new Rng(0));
  expect(m.labeledSize).toBe(512);
  m.dispose();
});
