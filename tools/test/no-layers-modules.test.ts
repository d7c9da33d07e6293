/**
 * One module system: networks of standard layers are `Net`s (core/src/nn/net.ts) on `ParamMap`
 * variables, and a tf.layers model is only the export format, built from a net at export time.
 * This test fails, naming the file and line, on any tf.layers module in package sources outside
 * the files where tf.layers is that export format: `tf.layers.`, `tf.sequential(`, `tf.model(`,
 * `tf.input(`, `LayersModel`, or an import of `@tensorflow/tfjs-layers`. Not counted: tests
 * (`*.test.ts`), type declarations, `dist/`, `node_modules/`, and comment lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageSources, repo } from './package-sources.js';

/**
 * Where tf.layers is the export format (repo-relative globs: `*` within a name, `**` across
 * folders): the net builds its equivalent tf.layers model, each net layer names its tf.layers
 * twin, and the exporters write tf.layers models.
 */
const EXPORT_FORMAT = [
  'packages/core/src/nn/net.ts',
  'packages/core/src/nn/net-layers*.ts',
  'packages/core/src/nn/net-gru.ts',
  'packages/core/src/export/**',
];

/**
 * Test support that uses tf.layers on purpose: the tf.layers twin the net's batch-norm layer is
 * compared with, bit for bit, in `nn/net.test.ts`, and the shared net-against-twin checks. Not
 * used by any package code.
 */
const TEST_TWINS = [
  'packages/core/src/test-support/fused-batch-norm-layer.ts',
  // the shared checks of a net against its tf.layers twin (the layers' tests build the twins)
  'packages/core/src/test-support/net-twin.ts',
];

/**
 * Files that still build tf.layers modules while they move onto Net: none since the genomics,
 * audio and core moves landed. Each entry must still have a site (the last test fails on an
 * entry with none left). Never add to it.
 */
const PENDING: string[] = [];

/** The uses of the layers API this test looks for, spaces allowed around the dots. */
const PATTERNS: RegExp[] = [
  /\btf\s*\.\s*layers\s*\./,
  /\btf\s*\.\s*sequential\s*\(/,
  /\btf\s*\.\s*model\s*\(/,
  /\btf\s*\.\s*input\s*\(/,
  /\bLayersModel\b/,
  /['"]@tensorflow\/tfjs-layers['"]/,
];

/** A line of a comment (`//`, `/*`, or a ` * ` continuation), not code. */
const COMMENT = /^\s*(\/\/|\/\*|\*)/;

/** `glob` (`*` within a path segment, `**` across segments) as an anchored regex. */
function globRegex(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${body}$`);
}

const exportFormat = EXPORT_FORMAT.map(globRegex);

/** `file:line: text` of each use of the layers API in the code lines of `text`. */
function sitesIn(file: string, text: string): string[] {
  const sites: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!COMMENT.test(line) && PATTERNS.some((p) => p.test(line))) sites.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return sites;
}

/** The sites in `files` (read from the repo; a missing file has none). */
function layersSites(files: string[]): string[] {
  return files.flatMap((f) => {
    let text: string;
    try {
      text = readFileSync(join(repo, f), 'utf8');
    } catch {
      return [];
    }
    return sitesIn(f, text);
  });
}

/** The entries of `pending` with no site left (moved, or the file is gone). */
function staleEntries(pending: string[]): string[] {
  return pending.filter((f) => layersSites([f]).length === 0);
}

describe('networks are Nets; tf.layers is only the export format', () => {
  const files = packageSources();

  it('finds the package sources and what it must match (the check itself works)', () => {
    expect(files).toContain('packages/vision/src/encoders/resnet.ts');
    expect(files).toContain('packages/core/src/nn/net.ts');
    expect(files.some((f) => f.endsWith('.test.ts'))).toBe(false);
    const hit = (line: string) => sitesIn('f.ts', line).length;
    expect(hit('const d = tf.layers.dense({ units: 3 });')).toBe(1);
    expect(hit('  tf .layers. conv2d({})')).toBe(1);
    expect(hit('const m = tf.sequential({ layers });')).toBe(1);
    expect(hit('return tf.model({ inputs, outputs });')).toBe(1);
    expect(hit('const i = tf.input({ shape: [3] });')).toBe(1);
    expect(hit('function f(m: tf.LayersModel) {}')).toBe(1);
    expect(hit("import { LayersModel } from '@tensorflow/tfjs';")).toBe(1);
    expect(hit("import * as tfl from '@tensorflow/tfjs-layers';")).toBe(1);
    expect(hit('tf.layers.dense();\nok();\ntf.model(x);')).toBe(2);
    expect(sitesIn('f.ts', 'a();\nb(); tf.input(x)')).toEqual(['f.ts:2: b(); tf.input(x)']);
    // not the API: other names, and comments about it
    expect(hit('const m = layersModelOf(e); tf.modelFromJSON(j); tf.inputs; mytf.layers.dense()')).toBe(0);
    expect(hit(' * the tf.layers.batchNormalization it replaced')).toBe(0);
    expect(hit('  // was tf.sequential()')).toBe(0);
    // the export-format globs
    const allowed = (f: string) => exportFormat.some((r) => r.test(f));
    expect(allowed('packages/core/src/nn/net.ts')).toBe(true);
    expect(allowed('packages/core/src/nn/net-layers-1d.ts')).toBe(true);
    expect(allowed('packages/core/src/nn/net-gru.ts')).toBe(true);
    expect(allowed('packages/core/src/export/onnx/deep.ts')).toBe(true);
    expect(allowed('packages/core/src/nn/network.ts')).toBe(false);
    expect(allowed('packages/core/src/nn/net-layers/x.ts')).toBe(false);
    expect(allowed('packages/vision/src/export/x.ts')).toBe(false);
  });

  it('no tf.layers module outside the export-format files and the pending moves', () => {
    const checked = files.filter(
      (f) => !exportFormat.some((r) => r.test(f)) && !TEST_TWINS.includes(f) && !PENDING.includes(f),
    );
    const sites = layersSites(checked);
    expect(
      sites,
      `tf.layers modules in package sources; build networks with NetBuilder (core/src/nn/net.ts):\n${sites.join('\n')}`,
    ).toEqual([]);
  });

  it('every pending file still has a tf.layers site (else drop it from PENDING)', () => {
    expect(staleEntries(PENDING), 'PENDING entries with no tf.layers site left: remove them').toEqual([]);
    // the check reports an entry with no site and a file that is gone, and keeps one with sites
    expect(
      staleEntries(['packages/core/src/nn/net.ts', 'packages/core/src/nn/params.ts', 'packages/none/src/gone.ts']),
    ).toEqual(['packages/core/src/nn/params.ts', 'packages/none/src/gone.ts']);
  });
});
