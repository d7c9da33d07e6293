/**
 * The backends a numerical test should run on: tfjs `cpu` (the reference kernels) and, when its
 * addon built, `native` (@autodidact/backend-native, whose fused kernels core's batch norm,
 * softmax cross-entropy and Adam use). Leaves `cpu` active.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@autodidact/core';

export async function testBackends(): Promise<string[]> {
  const names = ['cpu'];
  try {
    await initBackend({ prefer: 'native', quiet: true });
    names.push('native');
  } catch {
    // addon not built: cpu only (AUTODIDACT_REQUIRE_NATIVE makes backend-native's own test fail instead)
  }
  await tf.setBackend('cpu');
  return names;
}
