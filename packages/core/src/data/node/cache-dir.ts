import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { env } from '../../env.js';
import { ConfigError } from '../../errors.js';

/**
 * The per-user cache folder: `AUTODIDACT_CACHE_DIR`, else `$XDG_CACHE_HOME/autodidact`, else
 * `~/.cache/autodidact`. Never a shared, predictable temporary folder: another user could plant
 * an index there. Node-only.
 */
export function cacheRoot(): string {
  if (env.cacheDir) return resolve(env.cacheDir);
  if (env.xdgCacheHome) return join(env.xdgCacheHome, 'autodidact');
  const home = homedir();
  if (!home) throw new ConfigError('no home folder to keep caches in; set AUTODIDACT_CACHE_DIR', { field: 'cache' });
  return join(home, '.cache', 'autodidact');
}

/**
 * The cache folder of data at `path` for one kind of cache (e.g. `index/float32-files`):
 * `<cacheRoot>/<kind>/<basename>-<16 hex of sha256(absolute path)>`, so two folders of the same
 * name never share one, and a name in the listing still says whose it is.
 */
export function cacheDirFor(kind: string, path: string): string {
  const abs = resolve(path);
  const key = createHash('sha256').update(abs).digest('hex').slice(0, 16);
  const name =
    basename(abs)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 48) || 'root';
  return join(cacheRoot(), kind, `${name}-${key}`);
}

/** Creates `dir` (and parents) readable by its owner only. */
export async function ensurePrivateDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
