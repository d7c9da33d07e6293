/**
 * Loading a folder that holds a file without read permission, as a user the permission applies to.
 * Root reads a mode-000 file anyway, so when the tests run as root (CI does) the load runs in a
 * child under `setpriv` with the two capabilities that let root ignore file modes dropped
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); as any other user it runs in a plain child. Either way
 * the child is a fresh Node process that loads the package from source and prints what it saw.
 *
 * Child use: node --conditions=source --import tsx packages/core/src/test-support/unprivileged-load.ts <package> <dir> [loader JSON]
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the child saw: the data set size and the load log's lines. */
export interface UnprivilegedLoad {
  size: number;
  lines: string[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** Runs `modality.loadUnlabeled(dir)` of `@autodidact/<pkg>` in a child that file modes apply to. */
export function loadWithoutReadOverride(pkg: string, dir: string, loader: object = {}): UnprivilegedLoad {
  const node = [process.execPath, '--conditions=source', '--import', 'tsx', join(here, 'unprivileged-load.ts')];
  const args = [...node, pkg, dir, JSON.stringify(loader)];
  const root = process.geteuid?.() === 0;
  const cmd = root ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--', ...args] : args;
  const r = spawnSync(cmd[0] as string, cmd.slice(1), { encoding: 'utf8', cwd: join(here, '..', '..', '..', '..') });
  if (r.status !== 0) throw new Error(`child load failed (${r.status}): ${r.error ?? ''}${r.stderr}`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as UnprivilegedLoad;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [pkg, dir, loaderJson] = process.argv.slice(2);
  const core = await import('@autodidact/core');
  await core.initBackend({ quiet: true });
  const { modality } = (await import(`@autodidact/${pkg}`)) as {
    modality: { loadUnlabeled(dir: string, o: object): Promise<{ size: number }> };
  };
  const lines: string[] = [];
  const ds = await modality.loadUnlabeled(dir as string, {
    loader: JSON.parse(loaderJson ?? '{}'),
    log: (l: string) => lines.push(l),
  });
  process.stdout.write(`${JSON.stringify({ size: ds.size, lines })}\n`);
}
