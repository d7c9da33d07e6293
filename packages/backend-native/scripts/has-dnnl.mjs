// Prints 1 when oneDNN's headers and library are installed (Debian/Ubuntu: libdnnl-dev), else 0.
// binding.gyp reads it: with oneDNN the convolutions run on its kernels, without it on im2col + sgemm.
import { existsSync } from 'node:fs';

const include = ['/usr/include', '/usr/local/include', process.env.DNNL_ROOT && `${process.env.DNNL_ROOT}/include`];
const lib = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib', process.env.DNNL_ROOT && `${process.env.DNNL_ROOT}/lib`];
const header = include.some((d) => d && existsSync(`${d}/oneapi/dnnl/dnnl.hpp`));
const so = lib.some((d) => d && existsSync(`${d}/libdnnl.so`));
process.stdout.write(process.env.AUTODIDACT_DNNL === '0' || !header || !so ? '0' : '1');
