import type * as tf from '@tensorflow/tfjs';

/** Bytes per element of the dtypes a checkpoint holds. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * Name of the first float32 tensor in `buffer` (laid out as `specs` say, in order, as tfjs's
 * encodeWeights writes it) that holds a NaN or an infinity; undefined when every value is
 * finite. Reads the bytes directly, so no tensor is made. `buffer` must hold at least the
 * bytes `specs` describe.
 */
export function firstNonFiniteWeight(
  buffer: ArrayBuffer,
  specs: readonly tf.io.WeightsManifestEntry[],
): string | undefined {
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const bytes = n * (DTYPE_BYTES[s.dtype] ?? 0);
    if (s.dtype === 'float32') {
      // A bool tensor before this one can leave the offset unaligned: copy then.
      const values =
        offset % 4 === 0 ? new Float32Array(buffer, offset, n) : new Float32Array(buffer.slice(offset, offset + bytes));
      for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) return s.name;
    }
    offset += bytes;
  }
  return undefined;
}
