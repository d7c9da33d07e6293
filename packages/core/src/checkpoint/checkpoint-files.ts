/**
 * The checkpoint store the Trainer and fineTune write to and resume from: folders on disk
 * (Node). Reached through the package import `#checkpoint-files`, whose `browser` condition
 * resolves to `checkpoint-files.browser.ts` instead, so the portable entry bundles for a browser
 * without `node:fs`; that variant keeps checkpoints in IndexedDB with the same guarantees.
 */
export { loadLatestGoodCheckpoint } from './load-checkpoint.js';
export { saveCheckpoint } from './save-checkpoint.js';
