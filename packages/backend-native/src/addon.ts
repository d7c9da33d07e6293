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
  /** Elementwise out[i] = f(x[i]) for the op code (unary-ops.ts); `alpha` for Step/LeakyRelu, `alpha`/`beta` the bounds of a clip. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number, beta?: number): void;
  /** Strided copy into a strided view: out[io] = x[ix] over `shape`, both walked by their own element strides. */
  scatterCopy(
    x: Float32Array,
    out: Float32Array,
    shape: Int32Array,
    stridesX: Int32Array,
    stridesOut: Int32Array,
  ): void;
  /** out[o, j, :] = x[o, indices[j], :] for x viewed as [outer, n, inner] (indices checked by the caller). */
  gatherRows(x: Float32Array, indices: Int32Array, out: Float32Array, outer: number, n: number, inner: number): void;
  /** Max (or min) over the middle axis of x viewed as [outer, reduce, inner]; NaN propagates. */
  reduceMax(x: Float32Array, out: Float32Array, outer: number, reduce: number, inner: number, isMin: boolean): void;
  /** Index of the first max (or min) of each row of x viewed as [rows, cols]. */
  argMaxLast(x: Float32Array, out: Int32Array, rows: number, cols: number, isMin: boolean): void;
  /** Broadcasting comparison into bools (0/1 bytes); op 0 ==, 1 !=, 2 >, 3 >=, 4 <, 5 <=; a and b of one type. */
  compare(
    op: number,
    a: Float32Array | Int32Array,
    b: Float32Array | Int32Array,
    out: Uint8Array,
    shape: Int32Array,
    stridesA: Int32Array,
    stridesB: Int32Array,
  ): void;
  /** Column sums of x viewed as [rows, cols] (double accumulation). */
  sumRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** FusedBatchNorm over the last axis: (x - mean) * scale / sqrt(variance + eps) + offset; parameters of length 1 or `channels`. */
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array,
    offset: Float32Array,
    out: Float32Array,
    channels: number,
    eps: number,
  ): void;
  /** Training-mode batch norm over the last axis: batch mean and (biased) variance into `mean`/`variance`, normalised output into `y`. */
  batchNormTrain(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    channels: number,
    eps: number,
  ): void;
  /** Gradient of {@link batchNormTrain} through the batch statistics: dx, dgamma, dbeta. */
  batchNormTrainGrad(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    channels: number,
    eps: number,
  ): void;
  /** Per-row softmax cross-entropy of logits [rows, cols] with int targets; the softmax is written to `probs`. */
  softmaxCrossEntropy(
    logits: Float32Array,
    targets: Int32Array,
    losses: Float32Array,
    probs: Float32Array,
    rows: number,
    cols: number,
  ): void;
  /** Its gradient: (probs - onehot(targets)) * dloss per row. */
  softmaxCrossEntropyGrad(
    probs: Float32Array,
    targets: Int32Array,
    dloss: Float32Array,
    dlogits: Float32Array,
    rows: number,
    cols: number,
  ): void;
  /** GELU (exact form, tfjs's erf) into `out`; with `dy`, its gradient times dy instead. */
  gelu(x: Float32Array, out: Float32Array, dy?: Float32Array): void;
  /** Layer norm over the last axis of x [rows, cols]: y, and each row's mean and 1 / sqrt(var + eps). */
  layerNorm(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    cols: number,
    eps: number,
  ): void;
  /** Gradient of {@link layerNorm}: dx, and dgamma, dbeta summed over rows. */
  layerNormGrad(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    cols: number,
  ): void;
  /** Gradient of a last-axis softmax y: dx = y * (dy - sum(dy * y)) per row. */
  softmaxGrad(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;
  /** One Adam(W) step of one parameter into the three outputs (see core's Adam for the formula). */
  adam(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    outParam: Float32Array,
    outM: Float32Array,
    outV: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    biasCorrection1: number,
    biasCorrection2: number,
    weightDecay: number,
    decoupled: boolean,
  ): void;
  /** Bilinear crop-and-resize of NHWC images (tfjs's CropAndResize): geometry B, H, W, C, cropHeight, cropWidth, then the extrapolation value. */
  cropAndResize(
    image: Float32Array,
    boxes: Float32Array,
    boxInd: Int32Array,
    out: Float32Array,
    ...geometry: number[]
  ): void;
  /** NHWC max pool: x -> out; geometry B,H,W,C,OH,OW,strideH,strideW,filterH,filterW,padTop,padLeft. */
  maxPool(x: Float32Array, out: Float32Array, ...geometry: number[]): void;
  /** Gradient of {@link maxPool}: dy routed to each window's first maximum of x, into dx (overwritten). */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, ...geometry: number[]): void;
  /** Softmax over the last dim of x viewed as [rows, cols] (max-subtracted), into out. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /**
   * Switches oneDNN convolutions on (`true`) or off (`false`: im2col + sgemm) when the addon was
   * built with oneDNN; returns a line naming the convolution engine.
   */
  convEngine(useOneDnn?: boolean): string;
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
  // oneDNN's OpenMP threads wait for the next convolution asleep, not spinning (GNU OpenMP's
  // default spins up to 300,000 rounds after every parallel region). On a machine other jobs share,
  // a spinning thread takes the core the next kernel needs: the ResNet-18 SimCLR step took 23% less
  // wall and CPU time passive (2.0 s instead of 2.6-2.8 s at load 4.5-5). The variable is read once,
  // when the addon loads libgomp, and is removed again so child processes do not inherit it; a
  // value the user set is kept.
  const setWait = process.env.OMP_WAIT_POLICY === undefined;
  if (setWait) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  try {
    const require = createRequire(import.meta.url);
    return { addon: require(addonPath) as NativeAddon };
  } catch (err) {
    return { error: `addon at ${addonPath} does not load: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (setWait) delete process.env.OMP_WAIT_POLICY;
  }
}

const loaded = load();

/** The addon, or undefined when it did not build or load. */
export const addon: NativeAddon | undefined = loaded.addon;

/** Why the addon is unavailable (undefined when it loaded). */
export const addonError: string | undefined = loaded.error;
