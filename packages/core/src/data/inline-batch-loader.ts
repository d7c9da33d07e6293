import { ConfigError } from '../errors.js';
import { readSamples, type SkipPolicy, type SkipRecord } from './read-samples.js';
import { allocSamples, type ReaderSpec, type SampleReader, instantiateReader } from './sample-reader.js';
import { type BatchLoader, type BatchRequest, type RawBatch, slotSeeds } from './streaming-dataset.js';

/**
 * A {@link BatchLoader} that reads on the calling thread, one request after another: for
 * debugging (`workers: 0`), for tests, and where no workers exist. Same skip rule and same
 * values as the worker pool. Portable.
 */
export class InlineBatchLoader implements BatchLoader {
  readonly size: number;
  private readonly known = new Map<number, SkipRecord>();
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly reader: SampleReader,
    private readonly policy: SkipPolicy = {},
    readonly source?: string,
  ) {
    this.size = reader.size;
  }

  /** Builds the reader from `spec` on this thread. */
  static async open(spec: ReaderSpec<unknown>, policy: SkipPolicy = {}, source?: string): Promise<InlineBatchLoader> {
    return new InlineBatchLoader(await instantiateReader(spec), policy, source);
  }

  get layout() {
    return this.reader.layout;
  }

  load(request: BatchRequest): Promise<RawBatch> {
    if (this.closed) return Promise.reject(new ConfigError('the data source is closed'));
    const run = async (): Promise<RawBatch> => {
      const data = allocSamples(this.layout, request.indices.length);
      const seeds = request.seed === undefined ? undefined : slotSeeds(request.seed, request.indices.length);
      const { used, skips } = await readSamples(this.reader, request.indices, seeds, data, this.policy, this.known);
      return { data, used, skips };
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.reader.close?.();
  }
}
