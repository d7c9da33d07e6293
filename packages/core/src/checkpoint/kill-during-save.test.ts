import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { childImports, repo } from '../test-support/kill-runs.js';
import { loadCheckpoint } from './load-checkpoint.js';

// A child process saves checkpoints back to back (every tensor filled with the step number);
// the test SIGKILLs it at random moments, mostly in the middle of a write, and checks that
// the directory always loads as one complete, self-consistent checkpoint.
const from = childImports(import.meta.url);
const CHILD = `
import * as tf from '@tensorflow/tfjs';
import { saveCheckpoint } from ${from('./save-checkpoint.ts')};
const dir = process.argv[2];
const start = Number(process.argv[3]);
for (let step = start; ; step++) {
  const tensors = new Map([['a', tf.fill([256, 256], step)], ['b', tf.fill([1000], step)]]);
  await saveCheckpoint(dir, { step, tensors, state: { marker: step } }, { keep: 2 });
  tf.dispose([...tensors.values()]);
  process.stdout.write(step + '\\n');
}
`;

describe('checkpoints survive SIGKILL at any moment', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    // Inside the repo's git-ignored tmp/, so the child resolves @tensorflow/tfjs to the same
    // module instance as save-checkpoint.ts does.
    await mkdir(join(repo, 'tmp'), { recursive: true });
    dir = await mkdtemp(join(repo, 'tmp', 'kill-during-save-'));
    script = join(dir, 'child.mts');
    await writeFile(script, CHILD);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a complete checkpoint after each of 4 kills', async () => {
    const rng = new Rng(7);
    const ckdir = join(dir, 'ck');
    let next = 1;
    let kills = 0;
    for (let trial = 0; trial < 4; trial++) {
      const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ckdir, String(next)], {
        cwd: repo,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let saved = 0;
      // Wait for at least one completed save, then kill after a random delay.
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
        child.stdout!.on('data', (d: Buffer) => {
          const steps = d.toString().trim().split('\n').map(Number);
          saved = Math.max(saved, ...steps);
          if (saved >= next) resolve();
        });
      });
      child.removeAllListeners('exit');
      await new Promise((r) => setTimeout(r, rng.int(150)));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      kills++;
      const ck = await loadCheckpoint(ckdir);
      expect(ck.state.marker).toBe(ck.step);
      expect(ck.step).toBeGreaterThanOrEqual(saved);
      for (const t of ck.tensors.values()) {
        const v = t.dataSync();
        expect(v.every((x) => x === ck.step)).toBe(true);
      }
      tf.dispose([...ck.tensors.values()]);
      next = ck.step + 1;
    }
    expect(kills).toBe(4);
    // keep=2 folders, plus one when the kill fell between a rename and the pruning.
    const entries = await readdir(ckdir);
    expect(entries.filter((e) => e.startsWith('step-')).length).toBeLessThanOrEqual(3);
  });
});
