/**
 * Loads the compiled OpenBLAS addon (build/Release/autodidact_native.node), if it built.
 * Everything native goes through the {@link NativeAddon} interface below.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's functions. Buffers are caller-owned Float32Arrays; shapes are plain ints. */
export interface NativeAddon {
  /** out[i] = op(a[i % batchA]) x op(b[i % batchB]); a: [batchA, M, K] (or [.., K, M]), b: [batchB, K, N] (or [.., N, K]), out: [max(batchA, batchB), M, N]. */
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
  ): void;
  /** NHWC conv: x [B,H,W,C], w [KH,KW,C,OC] -> out [B,OH,OW,OC]; `geometry` is the fields of `ConvGeometry` in order. */
  conv2d(x: Float32Array, w: Float32Array, out: Float32Array, ...geometry: number[]): void;
  /** dy [B,OH,OW,OC], w [KH,KW,C,OC] -> dx [B,H,W,C]. */
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, ...geometry: number[]): void;
  /** x [B,H,W,C], dy [B,OH,OW,OC] -> dw [KH,KW,C,OC]. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, ...geometry: number[]): void;
  /**
   * Strided elementwise binary op over an N-d output (op codes in binary-ops.ts):
   * out[o] = f(a[ia], b[ib]) where ia/ib advance by the given element strides per output dim (0 = broadcast).
   */
  binary(
    op: number,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    shape: Int32Array,
    stridesA: Int32Array,
    stridesB: Int32Array,
  ): void;
  /** Sums x over dims whose out stride is 0: out[io] += x[i] for x's shape walked in order. */
  reduceSum(x: Float32Array, out: Float32Array, shape: Int32Array, stridesOut: Int32Array): void;
  /** Strided copy: out (contiguous, `shape`) [o] = x[ix] with x's element strides per out dim. */
  stridedCopy(x: Float32Array, out: Float32Array, shape: Int32Array, stridesX: Int32Array): void;
  /** Elementwise out[i] = f(x[i]) for the op code (unary-ops.ts); `alpha` for Step/LeakyRelu. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** NHWC max pool: x -> out; geometry B,H,W,C,OH,OW,strideH,strideW,filterH,filterW,padTop,padLeft. */
  maxPool(x: Float32Array, out: Float32Array, ...geometry: number[]): void;
  /** Gradient of {@link maxPool}: dy routed to each window's first maximum of x, into dx (overwritten). */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, ...geometry: number[]): void;
  /** Softmax over the last dim of x viewed as [rows, cols] (max-subtracted), into out. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** OpenBLAS threads. */
  threads(): number;
  /** OpenBLAS build configuration string. */
  config(): string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = join(root, 'build', 'Release', 'autodidact_native.node');

function load(): { addon?: NativeAddon; error?: string } {
  if (!existsSync(addonPath)) {
    const log = join(root, 'build', 'build-addon.log');
    const hint = existsSync(log)
      ? ` (build log: ${log}; last line: ${readFileSync(log, 'utf8').trim().split('\n').pop()})`
      : '';
    return {
      error: `addon not built at ${addonPath}${hint}; install libopenblas-dev and g++, then run 'npm run build:native' from the repository root (or 'npm rebuild @autodidact/backend-native')`,
    };
  }
  try {
    const require = createRequire(import.meta.url);
    return { addon: require(addonPath) as NativeAddon };
  } catch (err) {
    return { error: `addon at ${addonPath} does not load: ${err instanceof Error ? err.message : String(err)}` };
  }
}

const loaded = load();

/** The addon, or undefined when it did not build or load. */
export const addon: NativeAddon | undefined = loaded.addon;

/** Why the addon is unavailable (undefined when it loaded). */
export const addonError: string | undefined = loaded.error;
