export {
  BACKEND_NAMES,
  initBackend,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
} from './init-backend.js';
