/**
 * The check every command that writes a folder (`--out` of pretrain, finetune and export) runs
 * before it loads anything: the folder exists or can be made, and a file can be written in it.
 *
 * Node's `mkdir(path, { recursive: true })` spins forever at 100% CPU on a path inside /proc:
 * procfs answers `mkdir("/proc/x")` with ENOENT (not EACCES or EPERM), which the recursive
 * mkdir takes to mean "parent missing"; it makes the parent, gets EEXIST for /proc, and tries
 * `/proc/x` again, without end (strace shows the mkdir/mkdir/statx cycle; the same family of bug
 * as nodejs/node#27198 on Windows). So the folder is made here one level at a time, and kernel
 * pseudo-filesystems, which hold no user files, are refused by their statfs type first.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, rmdir, stat, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** statfs `type` of the kernel's pseudo-filesystems (linux/magic.h) by name. */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x1cd1, 'devpts'],
]);

/** What an errno means for an output folder, in a few words. */
function why(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${err.code})`;
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    default:
      return err.code ? `${err.code}: ${err.message}` : String(err);
  }
}

/**
 * Makes sure `path` is a folder this process can write into, creating it (and missing parents)
 * when needed, and returns its absolute path. Anything else is a ConfigError naming `flag` and
 * the path: an existing file (EEXIST) or a file on the way (ENOTDIR), a folder that cannot be
 * created or written (EACCES, EPERM, EROFS, ENOSPC), or a place on a kernel pseudo-filesystem
 * (/proc, /sys, ...). Fast in every case: no recursive mkdir. The folders it creates are appended
 * to `made` (outermost first) so a caller that then refuses the run can remove them again.
 */
export async function prepareOutDir(path: string, flag = '--out', made?: string[]): Promise<string> {
  const target = resolve(path);
  const fail = (problem: string) => new ConfigError(`${target}: ${problem}`, { field: flag });
  // The nearest existing ancestor (or the target itself), and the folders to make below it.
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    try {
      const s = await stat(existing);
      if (!s.isDirectory()) {
        throw fail(
          existing === target
            ? 'is a file, not a folder (EEXIST)'
            : `${existing} is a file, so no folder can be made inside it (ENOTDIR)`,
        );
      }
      break;
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw fail(`cannot be reached: ${why(err as NodeJS.ErrnoException)}`);
      const parent = dirname(existing);
      if (parent === existing) throw fail('no part of the path exists');
      if (code === 'ENOENT') missing.unshift(existing);
      else missing.length = 0; // below a file: what to create is decided once the file is found
      existing = parent;
    }
  }
  const fs = PSEUDO_FILESYSTEMS.get(Number((await statfs(existing)).type));
  if (fs) {
    throw fail(
      `is on the kernel's ${fs} pseudo-filesystem (${existing}), which holds no files; choose a folder on a disk`,
    );
  }
  for (const dir of missing) {
    try {
      await mkdir(dir);
      made?.push(dir);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST' && (await stat(dir)).isDirectory()) continue; // made meanwhile
      throw fail(`cannot create ${dir}: ${why(e)}`);
    }
  }
  // Permission bits do not tell (root, ACLs, read-only mounts): write and remove a file.
  const probe = join(target, `.autodidact-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (err) {
    throw fail(`is not writable: ${why(err as NodeJS.ErrnoException)}`);
  }
  await rm(probe, { force: true });
  return target;
}

/** Removes the (empty) folders {@link prepareOutDir} made, innermost first; leaves anything else. */
export async function undoOutDir(made: readonly string[]): Promise<void> {
  for (const dir of [...made].reverse()) await rmdir(dir).catch(() => undefined);
}
