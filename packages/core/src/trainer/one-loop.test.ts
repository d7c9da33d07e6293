import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One training loop: outside the Trainer (and its optimizers) no code takes a gradient step of
// its own. Pretraining, fine-tuning and the probes are methods or tasks the Trainer runs.

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** What a training loop of its own calls: tfjs's optimizer steps, or a gradient tape over variables (tfjs's or core's). */
const LOOP_CALLS = [/\.minimize\(/, /\.applyGradients\(/, /\bvariableGrads\(/, /\btapeGradients\(/];

/** Files allowed to hold such a call, each with why. */
const ALLOWED: Readonly<Record<string, string>> = {
  // The loop itself.
  'packages/core/src/trainer/trainer.ts': 'the Trainer',
  // The Trainer's gradient tape (tf.variableGrads that frees the backward pass as it goes).
  'packages/core/src/trainer/tape-gradients.ts': "the Trainer's gradient tape",
  // The speed benchmark times one plain-tfjs step (tf.train.adam) against the same step in
  // PyTorch (tools/bench/speed/peer.py); it measures the backend, it trains nothing.
  'tools/bench/speed/kernel-graphs.ts': 'backend speed comparison with PyTorch, not a training loop',
  // Test support for the net layers' tests: compares a net's gradients with those of its
  // tf.layers twin; it applies no step.
  'packages/core/src/test-support/net-twin.ts':
    'gradient comparison in tests (a net against its tf.layers twin), no step',
};

/** `.ts` files under `dir` (recursively), without tests, the optimizers' folder, builds and dependencies. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (['node_modules', 'dist', 'fixtures-out'].includes(e.name)) continue;
      if (relative(repo, path) === join('packages', 'core', 'src', 'trainer', 'optimizers')) continue;
      out.push(...sources(path));
    } else if (e.name.endsWith('.ts') && !/\.test\.ts$|\.d\.ts$/.test(e.name)) {
      out.push(path);
    }
  }
  return out;
}

function scanned(): string[] {
  const packages = readdirSync(join(repo, 'packages'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(repo, 'packages', e.name, 'src'));
  return [...packages.flatMap((p) => sources(p)), ...sources(join(repo, 'tools'))].map((p) =>
    relative(repo, p).split('\\').join('/'),
  );
}

describe('one training loop', () => {
  const files = scanned();
  const withLoop = files.filter((f) => LOOP_CALLS.some((re) => re.test(readFileSync(join(repo, f), 'utf8'))));

  it('scans the packages and the tools (the Trainer among them)', () => {
    expect(files).toContain('packages/core/src/trainer/trainer.ts');
    expect(files.some((f) => f.startsWith('tools/'))).toBe(true);
    expect(withLoop).toContain('packages/core/src/trainer/trainer.ts');
  });

  it('no minimize, applyGradients or gradient tape outside the Trainer', () => {
    const outside = withLoop.filter((f) => !Object.hasOwn(ALLOWED, f));
    expect(outside, `training loops outside the Trainer:\n  ${outside.join('\n  ')}`).toEqual([]);
  });

  it('the allowlist holds no file that has lost its loop', () => {
    const stale = Object.keys(ALLOWED).filter((f) => !withLoop.includes(f));
    expect(stale, `allowed but loop-free (remove them from ALLOWED):\n  ${stale.join('\n  ')}`).toEqual([]);
  });
});
