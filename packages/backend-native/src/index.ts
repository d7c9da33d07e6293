/**
 * @autodidact/backend-native: a tfjs backend named `native` whose matmul and conv kernels
 * (and the elementwise, reduction and pooling kernels) run natively through an N-API addon on
 * OpenBLAS built at install, with kernel outputs in recycled memory. Without the addon,
 * `register()` returns false and nothing changes.
 */
export {
  available,
  describe,
  NATIVE_BACKEND_NAME,
  NATIVE_KERNELS,
  NativeBackend,
  poolStats,
  register,
  unavailableReason,
} from './native-backend.js';
export type { NativeAddon } from './addon.js';
export { BufferPool, MIN_POOLED_BYTES, type PoolStats } from './buffer-pool.js';
