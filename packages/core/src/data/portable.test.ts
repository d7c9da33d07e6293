import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The Dataset-facing side of streaming must bundle for a browser (Web Workers instead of
// worker_threads): nothing it imports, directly or through other files, may be a Node built-in
// or come from data/node/.
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORTABLE = [
  'data/dataset.ts',
  'data/streaming-dataset.ts',
  'data/sample-reader.ts',
  'data/read-samples.ts',
  'data/prefetch-queue.ts',
  'data/reader-dataset.ts',
  'data/inline-batch-loader.ts',
  'data/array-dataset.ts',
  'data/data-mode.ts',
  'data/subset.ts',
  'trainer/next-batch.ts',
  'eval/knn-monitor.ts',
];

/** Every file reached from `entry` by relative imports, and every bare import met on the way. */
function importGraph(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>();
  const bare = new Map<string, string>(); // specifier -> first importer
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(src, file), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(relative(src, resolve(src, dirname(file), spec)).replace(/\.js$/, '.ts'));
      else if (!bare.has(spec)) bare.set(spec, file);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('portable data modules', () => {
  it('import no Node built-in and nothing from data/node, directly or indirectly', () => {
    const offending: string[] = [];
    for (const entry of PORTABLE) {
      const { files, bare } = importGraph(entry);
      for (const f of files) if (f.startsWith('data/node/')) offending.push(`${entry} reaches ${f}`);
      for (const [spec, from] of bare) {
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'worker_threads'].includes(spec)) {
          offending.push(`${entry} reaches ${spec} (imported by ${from})`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('the check sees Node imports where they are (self-test)', () => {
    const { bare, files } = importGraph('data/node/open-dataset.ts');
    expect(files.has('data/node/worker-pool.ts')).toBe(true);
    expect(bare.has('node:worker_threads')).toBe(true);
  });
});
