import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelsByPath } from './open-folder-dataset.js';

describe('labelsByPath', () => {
  const root = join('/data', 'birds');
  const files = [join(root, 'wren', 'b.wav'), join(root, 'owl', 'a.wav'), join(root, 'owl', 'sub', 'c.wav')];
  const listing = { files, labels: Int32Array.of(1, 0, 0, 7) };

  it('gives each indexed path the label of its listed file, whatever order the index keeps', () => {
    const paths = ['owl/a.wav', 'owl/sub/c.wav', 'wren/b.wav'];
    expect(Array.from(labelsByPath(root, listing, paths)!)).toEqual([0, 0, 1]);
    expect(Array.from(labelsByPath(root, listing, ['wren/b.wav', 'gone.wav'])!)).toEqual([1, 0]);
  });

  it('labels each sample by its file with fileOfSample', () => {
    const paths = ['owl/a.wav', 'wren/b.wav'];
    const fileOfSample = Int32Array.of(0, 0, 1, 1, 1);
    expect(Array.from(labelsByPath(root, listing, paths, fileOfSample)!)).toEqual([0, 0, 1, 1, 1]);
  });

  it('gives no labels for a listing without them', () => {
    expect(labelsByPath(root, { files }, ['owl/a.wav'])).toBeUndefined();
  });
});
