/** Centre-crops or zero-pads (centred) `x` to `length` samples, writing into `out` at `offset`. */
export function fitClip(x: Float32Array, length: number, out: Float32Array, offset = 0): void {
  if (x.length >= length) {
    const start = (x.length - length) >> 1;
    out.set(x.subarray(start, start + length), offset);
  } else {
    out.set(x, offset + ((length - x.length) >> 1));
  }
}
