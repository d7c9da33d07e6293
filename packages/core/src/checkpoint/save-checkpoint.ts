import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILES, parseCheckpointFolderName, TEMP_PREFIX } from './checkpoint-layout.js';
import { type CheckpointData, checkpointPayload, type SaveCheckpointOptions } from './checkpoint-payload.js';
import { fsyncDir, writeFileAtomic, writeFileSynced } from './write-file-atomic.js';

export type { CheckpointData, SaveCheckpointOptions } from './checkpoint-payload.js';

/**
 * Writes `dir/step-NNNNNN/` (tensors as a tfjs weights manifest + bin, `state.json`, and the
 * sha256 of each in `SHA256SUMS`) into
 * a temporary folder, fsyncs it, renames it into place, and only then atomically updates
 * `dir/latest`. Older folders beyond `keep` and leftover temporary folders are removed
 * afterwards. A process killed at any point leaves the previous checkpoint readable. A float
 * tensor holding NaN or Inf is refused (a NumericalError naming it) before anything is written.
 * Returns the folder's path.
 */
export async function saveCheckpoint(
  dir: string,
  data: CheckpointData,
  options: SaveCheckpointOptions = {},
): Promise<string> {
  const { name, keep, files: payload } = await checkpointPayload(data, options);
  await mkdir(dir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dir, `${TEMP_PREFIX}${name}-${tag}`);
  await mkdir(tmp);
  try {
    const files = payload.map(([file, c]): [string, string | Uint8Array] => [
      file,
      typeof c === 'string' ? c : new Uint8Array(c),
    ]);
    for (const [file, content] of files) await writeFileSynced(join(tmp, file), content);
    // In sha256sum's format, so `sha256sum -c SHA256SUMS` inside the folder checks it too.
    const sums = files.map(([file, content]) => `${createHash('sha256').update(content).digest('hex')}  ${file}\n`);
    await writeFileSynced(join(tmp, CHECKPOINT_FILES.checksums), sums.join(''));
    await fsyncDir(tmp);
    const final = join(dir, name);
    if (await exists(final)) {
      // Same step saved again (e.g. the NaN guard after a periodic save): swap it out.
      const old = join(dir, `${TEMP_PREFIX}old-${name}-${tag}`);
      await rename(final, old);
      await rename(tmp, final);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, final);
    }
    await fsyncDir(dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await writeFileAtomic(join(dir, CHECKPOINT_FILES.latest), JSON.stringify({ step: data.step, folder: name }));
  await prune(dir, keep, name);
  return join(dir, name);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps `current` and the `keep - 1` newest folders before it; removes older ones, folders
 * of later steps (left by an abandoned run that this one overwrites) and stale temp folders.
 */
async function prune(dir: string, keep: number, current: string): Promise<void> {
  const entries = await readdir(dir);
  const currentStep = parseCheckpointFolderName(current)!;
  const steps = entries
    .map((e) => ({ e, step: parseCheckpointFolderName(e) }))
    .filter((x): x is { e: string; step: number } => x.step !== undefined && x.e !== current)
    .sort((a, b) => b.step - a.step);
  const earlier = steps.filter((x) => x.step < currentStep);
  const doomed = [...steps.filter((x) => x.step > currentStep), ...earlier.slice(keep - 1)].map((x) => x.e);
  doomed.push(...entries.filter((e) => e.startsWith(TEMP_PREFIX)));
  for (const e of doomed) await rm(join(dir, e), { recursive: true, force: true });
}
