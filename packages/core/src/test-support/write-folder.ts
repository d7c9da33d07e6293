/** A folder of files made in one call, for data-loading tests. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Makes `root` (and its parents) and writes `files` (name -> content) into it; returns `root`. */
export async function writeFolder(root: string, files: Record<string, string | Uint8Array>): Promise<string> {
  await mkdir(root, { recursive: true });
  for (const [f, content] of Object.entries(files)) await writeFile(join(root, f), content);
  return root;
}
