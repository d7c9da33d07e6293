/**
 * The browser build's `#checkpoint-files`: no checkpoint store yet. Checkpoints are folders on
 * disk (Node only); a run given `checkpointDir` in a browser stops with a one-line ConfigError
 * before its first step. A browser store (IndexedDB or the origin-private file system) is a
 * later step. Without `checkpointDir` the Trainer never calls these.
 */
import { ConfigError } from '../errors.js';
import type { loadLatestGoodCheckpoint as LoadLatest } from './load-checkpoint.js';
import type { saveCheckpoint as Save } from './save-checkpoint.js';

function unavailable(dir: string): ConfigError {
  return new ConfigError(
    `checkpoints on disk need Node; the browser build has no checkpoint store yet (got '${dir}')`,
    {
      field: 'checkpointDir',
    },
  );
}

/** Throws: the browser build cannot read checkpoints. */
export const loadLatestGoodCheckpoint: typeof LoadLatest = async (dir) => {
  throw unavailable(dir);
};

/** Throws: the browser build cannot write checkpoints. */
export const saveCheckpoint: typeof Save = async (dir) => {
  throw unavailable(dir);
};
