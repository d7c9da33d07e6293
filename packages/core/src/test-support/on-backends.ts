/**
 * Numerical tests run once per backend of {@link testBackends}: tfjs `cpu` and, when its addon
 * built, `native`.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe } from 'vitest';
import { testBackends } from '../../../../tools/test/backends.js';

/**
 * One `describe` per test backend, titled `<title> on <backend>`: `body` registers its tests,
 * which run with that backend active; `cpu` is active again after them.
 */
export async function describeOnBackends(title: string, body: () => void): Promise<void> {
  const backends = await testBackends();
  describe.each(backends)(`${title} on %s`, (backend) => {
    beforeAll(() => tf.setBackend(backend));
    afterAll(() => tf.setBackend('cpu'));
    body();
  });
}
