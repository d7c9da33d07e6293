/**
 * @autodidact/backend-native: a tfjs backend named `native` whose matmul and conv kernels
 * (and a few broadcast elementwise and reduction kernels) run on OpenBLAS through an N-API
 * addon built at install. Without the addon, `register()` returns false and nothing changes.
 */
export {
  available,
  describe,
  NATIVE_BACKEND_NAME,
  NATIVE_KERNELS,
  register,
  unavailableReason,
} from './native-backend.js';
export type { NativeAddon } from './addon.js';
