import type { Dataset } from './dataset.js';
import type { AssembleBatch } from './reader-dataset.js';
import { allocSamples, type SampleArray, type SampleLayout, sampleLength } from './sample-reader.js';

/**
 * An in-memory dataset over one flat typed array of samples whose batches are built by an
 * `assemble` function (the in-memory twin of a `ReaderDataset` with a custom batch: samples
 * and labels, several tensors). Portable.
 */
export class ArrayDataset<B> implements Dataset<B> {
  readonly size: number;
  readonly sampleShape: readonly number[];

  /**
   * @param data `[size, ...layout.shape]` row-major
   * @param used the index each row was read from (a bad sample's replacement), default identity
   * @param sampleShape one sample's shape as the method sees it, default the layout's
   */
  constructor(
    readonly data: SampleArray,
    readonly layout: SampleLayout,
    private readonly assemble: AssembleBatch<B>,
    readonly labels?: Int32Array,
    readonly classNames?: readonly string[],
    readonly source?: string,
    private readonly used?: Int32Array,
    sampleShape?: readonly number[],
  ) {
    this.size = data.length / sampleLength(layout);
    this.sampleShape = [...(sampleShape ?? layout.shape)];
  }

  getBatch(indices: readonly number[]): B {
    const len = sampleLength(this.layout);
    const out = allocSamples(this.layout, indices.length);
    indices.forEach((i, k) => {
      out.set(this.data.subarray(i * len, (i + 1) * len), k * len);
    });
    const used = Int32Array.from(indices, (i) => (this.used ? this.used[i]! : i));
    return this.assemble({ data: out, used, skips: [] }, this.layout, this.labels);
  }
}
