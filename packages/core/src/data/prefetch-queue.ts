import type { BatchRequest, RawBatch } from './streaming-dataset.js';

/** A request's identity: its seed and indices. */
export function requestKey(request: BatchRequest): string {
  return `${request.seed ?? '-'}:${request.indices.join(',')}`;
}

interface Pending {
  readonly key: string;
  readonly result: Promise<RawBatch>;
}

/**
 * Keeps up to `depth` forecast batches loading while the caller works on the current one.
 * `take(request, upcoming)` returns the batch for `request`: the queue's head when the forecast
 * was right, else a fresh load (the stale forecast is dropped); forecasts load with `ahead` set.
 * It then tops the queue up with the first `depth` of `upcoming`. Holds raw typed arrays only, never tensors, so dropping a
 * forecast (a stop, a resume elsewhere) leaks nothing. Portable: no Node built-ins.
 */
export class PrefetchQueue {
  private queue: Pending[] = [];

  constructor(
    private readonly load: (request: BatchRequest, ahead: boolean) => Promise<RawBatch>,
    readonly depth: number,
  ) {}

  /** Forecast batches loading or loaded, oldest first. */
  get pending(): number {
    return this.queue.length;
  }

  take(request: BatchRequest, upcoming: readonly BatchRequest[] = []): Promise<RawBatch> {
    const key = requestKey(request);
    let result: Promise<RawBatch>;
    if (this.queue[0]?.key === key) {
      result = this.queue.shift()!.result;
    } else {
      this.clear();
      result = this.load(request, false);
    }
    const wanted = upcoming.slice(0, this.depth);
    // The queue must be a prefix of the forecast; anything else is stale.
    const keys = wanted.map(requestKey);
    let keep = 0;
    while (keep < this.queue.length && keep < keys.length && this.queue[keep]!.key === keys[keep]) keep++;
    this.queue.splice(keep);
    for (let k = this.queue.length; k < wanted.length; k++) {
      this.queue.push({ key: keys[k]!, result: quiet(this.load(wanted[k]!, true)) });
    }
    return result;
  }

  /** Forgets every forecast (their loads finish and are discarded). */
  clear(): void {
    this.queue = [];
  }
}

/** A promise whose rejection is not reported as unhandled while nobody awaits it yet. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
