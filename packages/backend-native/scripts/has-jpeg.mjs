// Prints 1 when libjpeg(-turbo)'s headers and library are installed (Debian/Ubuntu:
// libjpeg62-turbo-dev), else 0. binding.gyp reads it: without them the JPEG module is not built,
// the OpenBLAS backend still is, and image folders decode every file with sharp.
import { existsSync } from 'node:fs';

const include = ['/usr/include', '/usr/local/include', '/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu'];
const lib = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'];
const header = include.some((d) => existsSync(`${d}/jpeglib.h`));
const so = lib.some((d) => existsSync(`${d}/libjpeg.so`));
process.stdout.write(process.env.AUTODIDACT_JPEG === '0' || !header || !so ? '0' : '1');
