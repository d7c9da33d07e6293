export {
  CHECKPOINT_FILES,
  checkpointFolderName,
  parseCheckpointFolderName,
  TEMP_PREFIX,
} from './checkpoint-layout.js';
export {
  findLatestCheckpoint,
  type LoadedCheckpoint,
  loadCheckpoint,
  loadLatestGoodCheckpoint,
  type SkippedCheckpoint,
} from './load-checkpoint.js';
export { restoreVariables, withPrefix } from './restore-variables.js';
export { type CheckpointData, type SaveCheckpointOptions, saveCheckpoint } from './save-checkpoint.js';
export { fsyncDir, writeFileAtomic, writeFileSynced } from './write-file-atomic.js';
