/**
 * The entries no loader can read, made the same way for every modality's bad-file tests: a FIFO,
 * a dangling symbolic link, a folder link back up (a loop), and a file without read permission
 * (loaded where file modes apply, see unprivileged-load.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { loadWithoutReadOverride, type UnprivilegedLoad } from './unprivileged-load.js';

/**
 * Makes in `folder` a FIFO `fifo.<ext>` and a symbolic link `dangling.<ext>` to a path that does
 * not exist, both unreadable (the FIFO for root too), and in `loopFolder` a link `up` back to its
 * parent: a folder loop.
 */
export function writeUnreadableEntries(folder: string, ext: string, loopFolder: string): void {
  execFileSync('mkfifo', [join(folder, `fifo.${ext}`)]);
  symlinkSync(join(folder, '..', `nowhere.${ext}`), join(folder, `dangling.${ext}`));
  symlinkSync('..', join(loopFolder, 'up'));
}

/**
 * Writes `ok` and `locked` (name -> bytes) into the new folder `dir`, takes every permission off
 * `locked`, and loads the folder with `@autodidact/<pkg>`'s modality in a child that file modes apply to.
 */
export function loadWithLockedFile(
  pkg: string,
  dir: string,
  ok: [name: string, bytes: string | Uint8Array],
  locked: [name: string, bytes: string | Uint8Array],
  loader: object = {},
): UnprivilegedLoad {
  mkdirSync(dir);
  writeFileSync(join(dir, ok[0]), ok[1]);
  writeFileSync(join(dir, locked[0]), locked[1]);
  chmodSync(join(dir, locked[0]), 0o000);
  return loadWithoutReadOverride(pkg, dir, loader);
}

/**
 * The folders every modality's bad-file test lays out below `work`: `bad` (the `root` it loads)
 * with a subfolder `sub`, and `elsewhere` beside it for the targets of links; `root` holds the
 * FIFO and the dangling link of {@link writeUnreadableEntries}, `sub` the loop `up`. The test
 * adds its good and bad files.
 */
export function writeBadFileFolders(work: string, ext: string): { root: string; elsewhere: string } {
  const root = join(work, 'bad');
  const elsewhere = join(work, 'elsewhere');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(elsewhere);
  writeUnreadableEntries(root, ext, join(root, 'sub'));
  return { root, elsewhere };
}

/**
 * {@link writeBadFileFolders} below `work.path` before the tests of the enclosing block, then
 * `fill(root, elsewhere)`, where the test writes its good and bad files; `root` is set then.
 */
export function badFileFolders(
  work: { readonly path: string },
  ext: string,
  fill: (root: string, elsewhere: string) => void,
): { readonly root: string } {
  const folders = { root: '' };
  beforeAll(() => {
    const { root, elsewhere } = writeBadFileFolders(work.path, ext);
    folders.root = root;
    fill(root, elsewhere);
  });
  return folders;
}
