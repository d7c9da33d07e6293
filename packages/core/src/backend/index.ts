export {
  BACKEND_NAMES,
  FAST_BACKEND_FIX,
  initBackend,
  SLOW_BACKENDS,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
} from './init-backend.js';
