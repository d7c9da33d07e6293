/**
 * Encodes a float32 array as a NumPy .npy (format 1.0) file, readable by numpy.load.
 * Written here because the format is a 10-line header and no maintained npm writer is lighter.
 */
export function encodeNpy(values: Float32Array, shape: number[]): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // magic(6) + version(2) + header length(2) + header, padded with spaces to a multiple of 64, ending in \n
  const unpadded = 10 + dict.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  const header = `${dict}${' '.repeat(pad)}\n`;
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const little = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  out.set(little, 10 + header.length);
  return out;
}
