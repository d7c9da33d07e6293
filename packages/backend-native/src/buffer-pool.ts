/**
 * Recycles the memory of disposed tensors for the outputs of the native kernels.
 *
 * Why: fresh memory is expensive. A new Float32Array of a few MB is zero pages that the OS
 * maps on first touch; on the sandboxed VMs this project runs on, first-touch page faults cost
 * 15-20 ns per float against 0.3 ns for the multiply itself (measured: a native broadcast
 * multiply of 12.8M floats, 0.33 ns/element into a reused buffer, 15 ns/element into a new one).
 * A training step allocates the same sizes every step, so reusing disposed buffers removes the
 * faults. PyTorch's allocator has the same effect through glibc's malloc reuse.
 *
 * Safety: a buffer is recycled only when (1) a kernel created it (user arrays passed to
 * `tf.tensor` are never recycled), (2) no live tensor still views it (slices share their
 * parent's ArrayBuffer, so users are counted per ArrayBuffer), and (3) its values never
 * escaped through `dataSync()`/`data()`/`array()` (once read out, a buffer belongs to the caller).
 */

/** Buffers smaller than this are not tracked (one page; a fresh 16-64 KB Float32Array costs 5-50 us in page faults). */
export const MIN_POOLED_BYTES = 4 * 1024;

/**
 * The byte size of the buffer that serves a request of `bytes`: rounded up to a multiple of an
 * eighth of the request's power of two (at most 12.5% spare). A step whose shapes vary a little
 * from step to step (the number of masked tokens of a masked LM, of masked frames of wav2vec 2.0)
 * then reuses the previous step's buffers instead of faulting in fresh pages for each of them.
 */
export function sizeClass(bytes: number): number {
  const step = 2 ** Math.max(0, Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

interface Owner {
  /** Live tensor entries whose values view this buffer. */
  users: number;
  /** False once the values escaped to a caller or when a user supplied them. */
  recyclable: boolean;
  /** Served by {@link BufferPool.take} (else a cpu kernel's own allocation). */
  fromPool: boolean;
}

/** Pool statistics, for benchmarks and tests. */
export interface PoolStats {
  /** Outputs served from recycled memory. */
  hits: number;
  /** Outputs that needed fresh memory. */
  misses: number;
  /** Bytes held in the free lists now. */
  pooledBytes: number;
  /** The cap on pooled bytes. */
  limitBytes: number;
  /** Distinct buffer sizes with a free list. */
  pooledSizes: number;
}

/** Size-keyed free lists of ArrayBuffers with per-buffer ownership tracking. */
export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly owners = new WeakMap<ArrayBufferLike, Owner>();
  /**
   * Byte sizes kernels have asked for since the last sweep: only these are worth keeping.
   * Sizes not asked for over a whole sweep interval (a step whose shapes vary, as the number of
   * masked tokens in a batch, leaves one-off sizes behind) are dropped with their free buffers,
   * so the pool follows the current working set instead of filling up to its limit.
   */
  private wanted = new Set<number>();
  private previouslyWanted = new Set<number>();
  private takesSinceSweep = 0;
  private pooled = 0;
  private hits = 0;
  private misses = 0;

  /**
   * @param limitBytes at most this many bytes are kept in the free lists (default 2 GiB).
   * @param sweepEvery pooled takes between sweeps of stale sizes (default 8192, several steps).
   */
  constructor(
    public limitBytes = 2 * 1024 ** 3,
    readonly sweepEvery = 8192,
  ) {}

  /** Drops the free lists of sizes asked for in neither this nor the previous sweep interval. */
  private sweep(): void {
    for (const [bytes, list] of this.free) {
      if (this.wanted.has(bytes) || this.previouslyWanted.has(bytes)) continue;
      this.pooled -= bytes * list.length;
      this.free.delete(bytes);
    }
    this.previouslyWanted = this.wanted;
    this.wanted = new Set();
    this.takesSinceSweep = 0;
  }

  /**
   * A Float32Array of `length` elements with arbitrary contents (the caller overwrites every
   * element). From the pool it views the start of a buffer of the request's size class (`sizeClass`, a power of two).
   */
  take(length: number): Float32Array {
    const request = length * 4;
    if (request < MIN_POOLED_BYTES) return new Float32Array(length);
    if (++this.takesSinceSweep >= this.sweepEvery) this.sweep();
    const bytes = sizeClass(request);
    this.wanted.add(bytes);
    let buffer = this.free.get(bytes)?.pop();
    if (buffer) {
      this.pooled -= bytes;
      this.hits++;
    } else {
      this.misses++;
      buffer = new ArrayBuffer(bytes);
    }
    this.owners.set(buffer, { users: 0, recyclable: true, fromPool: true });
    return new Float32Array(buffer, 0, length);
  }

  /** Like {@link take} but zero-filled (for kernels that accumulate into their output). */
  takeZeroed(length: number): Float32Array {
    const out = this.take(length);
    out.fill(0);
    return out;
  }

  /** A tensor entry now holds `values`; `fromKernel` is false for user-supplied arrays. */
  adopt(values: unknown, fromKernel: boolean): void {
    if (!ArrayBuffer.isView(values)) return;
    const buffer = values.buffer;
    if (buffer.byteLength < MIN_POOLED_BYTES) return;
    let owner = this.owners.get(buffer);
    if (!owner) {
      const whole = values.byteOffset === 0 && values.byteLength === buffer.byteLength;
      owner = { users: 0, recyclable: fromKernel && whole && buffer instanceof ArrayBuffer, fromPool: false };
      this.owners.set(buffer, owner);
    }
    owner.users++;
  }

  /** The values were handed to a caller (dataSync and friends): never recycle their buffer. */
  escape(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const owner = this.owners.get(values.buffer);
    if (owner) owner.recyclable = false;
  }

  /** A tensor entry holding `values` was deleted; recycles the buffer when nothing views it. */
  release(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const buffer = values.buffer;
    const owner = this.owners.get(buffer);
    if (!owner) return;
    owner.users--;
    if (owner.users > 0 || !owner.recyclable) return;
    this.owners.delete(buffer);
    const bytes = buffer.byteLength;
    if (!(this.wanted.has(bytes) || this.previouslyWanted.has(bytes)) || this.pooled + bytes > this.limitBytes) return;
    let list = this.free.get(bytes);
    if (!list) {
      list = [];
      this.free.set(bytes, list);
    }
    // Buffers the pool served come back; other kernels' outputs only top up a short list, so
    // the pool holds about what one step uses instead of growing to its limit.
    if (!owner.fromPool && list.length >= 2) return;
    list.push(buffer as ArrayBuffer);
    this.pooled += bytes;
  }

  /** Drops every free buffer (the memory returns to the garbage collector). */
  clear(): void {
    this.free.clear();
    this.pooled = 0;
  }

  stats(): PoolStats {
    return {
      hits: this.hits,
      misses: this.misses,
      pooledBytes: this.pooled,
      limitBytes: this.limitBytes,
      pooledSizes: this.free.size,
    };
  }
}
