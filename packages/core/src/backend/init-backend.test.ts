import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from '../env.js';
import { ConfigError } from '../errors.js';
import { initBackend } from './init-backend.js';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  const savedBackend = env.backend;
  afterEach(() => {
    env.backend = savedBackend;
    vi.restoreAllMocks();
  });

  it('activates a forced cpu backend and says so once on stderr', async () => {
    env.backend = undefined;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const first = await initBackend({ prefer: 'cpu' });
    const second = await initBackend({ prefer: 'cpu' });
    expect(first.name).toBe('cpu');
    expect(second).toEqual(first);
    expect(tf.getBackend()).toBe('cpu');
    const lines = write.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('backend cpu'));
    expect(lines).toHaveLength(1);
  });

  it('prints nothing when quiet', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    env.backend = undefined;
    await initBackend({ quiet: true });
    expect(write.mock.calls.filter((c) => String(c[0]).includes('autodidact: backend'))).toHaveLength(0);
  });

  it('picks tensorflow, else native, else cpu automatically, never wasm', async () => {
    env.backend = undefined;
    const info = await initBackend({ quiet: true });
    expect(['tensorflow', 'native', 'cpu']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    const native = (await import('@autodidact/backend-native').catch(() => undefined)) as
      | { available(): boolean }
      | undefined;
    if (!installed('@tensorflow/tfjs-node') && native?.available()) expect(info.name).toBe('native');
    if (!installed('@tensorflow/tfjs-node') && info.name !== 'native') {
      // Falling back to cpu must say what was skipped and why.
      expect(info.description).toMatch(/skipped/);
    }
    // The backend computes: a small matmul against hand arithmetic.
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1], [10], [100]])));
    expect(Array.from(y.dataSync())).toEqual([321]);
    y.dispose();
  });

  it('reads AUTODIDACT_BACKEND through env and rejects unknown names with the variable named', async () => {
    env.backend = 'cpu';
    expect((await initBackend({ quiet: true })).name).toBe('cpu');
    env.backend = 'gpu-please';
    const err = await initBackend({ quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('AUTODIDACT_BACKEND');
    expect(String((err as Error).message)).toMatch(/tensorflow, native, wasm, cpu/);
  });

  it('lets the option override the environment', async () => {
    env.backend = 'gpu-please';
    expect((await initBackend({ prefer: 'cpu', quiet: true })).name).toBe('cpu');
  });

  it.skipIf(installed('@tensorflow/tfjs-node'))(
    'fails loudly when tensorflow is forced but not installed',
    async () => {
      const err = await initBackend({ prefer: 'tensorflow', quiet: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(String((err as Error).message)).toMatch(/npm install @tensorflow\/tfjs-node/);
    },
  );

  it.skipIf(installed('@tensorflow/tfjs-backend-wasm'))(
    'fails loudly when wasm is forced but not installed',
    async () => {
      const err = await initBackend({ prefer: 'wasm', quiet: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
    },
  );
});

describe('first-use banner', () => {
  it("does not print tfjs-backend-cpu's tfjs-node banner after initBackend", async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const repo = fileURLToPath(new URL('../../../../', import.meta.url));
    const script =
      "import { initBackend } from '@autodidact/core'; import * as tf from '@tensorflow/tfjs';" +
      "await initBackend({ prefer: 'cpu', quiet: true }); tf.add(tf.ones([2]), 1).dataSync(); console.log('ran');";
    const r = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toContain('ran');
    expect(r.stderr).not.toContain('Hi, looks like you are running TensorFlow.js in Node.js');
  });
});
