/**
 * Names inside a checkpoint directory:
 * ```
 * <dir>/step-000123/weights.json   tfjs weights manifest ([{ paths, weights }])
 * <dir>/step-000123/weights.bin    the tensors, in manifest order
 * <dir>/step-000123/state.json     trainer, optimizer, RNG and data-position state
 * <dir>/step-000123/SHA256SUMS     sha256 of the three files above (`sha256sum -c SHA256SUMS` checks them)
 * <dir>/latest                     {"step":123,"folder":"step-000123"}, replaced atomically
 * <dir>/.tmp-step-000123-*         a folder being written (ignored by readers)
 * ```
 */
export const CHECKPOINT_FILES = {
  manifest: 'weights.json',
  weights: 'weights.bin',
  state: 'state.json',
  checksums: 'SHA256SUMS',
  latest: 'latest',
} as const;

/** Folder name of the checkpoint at `step`: `step-000123` (more digits past 999,999). */
export function checkpointFolderName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

/** The step of a checkpoint folder name, or undefined for other names (temp folders, files). */
export function parseCheckpointFolderName(name: string): number | undefined {
  const m = /^step-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Prefix of folders being written; readers skip them and the next save removes leftovers. */
export const TEMP_PREFIX = '.tmp-';
