/**
 * @autodidact/backend-native: a tfjs backend named `native` whose matmul and conv kernels
 * (and the elementwise, reduction and pooling kernels) run natively through an N-API addon on
 * OpenBLAS built at install, with kernel outputs in recycled memory. Without the addon,
 * `register()` returns false and nothing changes.
 */
export { available, describe, poolStats, register, unavailableReason } from './native-backend.js';
export type { NativeAddon } from './addon.js';
export { BufferPool, type PoolStats } from './buffer-pool.js';
