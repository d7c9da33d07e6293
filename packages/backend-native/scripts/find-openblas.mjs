// What the addon build needs on this machine: OpenBLAS's C header and library (linked as
// -lopenblas, binding.gyp) and a C++ toolchain for node-gyp. Plain JavaScript so the install
// script can use it before anything is compiled; the tests and the install report use it too.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What to run on Debian/Ubuntu to get the native backend (the addon rebuilds against it). */
export const FAST_BACKEND_FIX = 'sudo apt-get install libopenblas-dev && npm rebuild @autodidact/backend-native';

const TRIPLETS = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', ppc64: 'powerpc64le-linux-gnu', s390x: 's390x-linux-gnu' };

function firstExisting(paths) {
  return paths.find((p) => existsSync(p));
}

function onPath(names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** libopenblas.so (the link-time name) from the dynamic linker's cache, if ldconfig is there. */
function fromLdconfig() {
  for (const cmd of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    const r = spawnSync(cmd, ['-p'], { encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout) continue;
    const m = /^\s*libopenblas\.so \(.*\) => (\S+)$/m.exec(r.stdout);
    return m?.[1];
  }
  return undefined;
}

/**
 * Looks for what the addon build needs. `buildable` is true when the header, the library and
 * a C++ compiler and make are all present: then the addon must build, and CI's test requires it.
 * @returns {{ header?: string, library?: string, compiler?: string, make?: string, buildable: boolean, missing: string[] }}
 */
export function findOpenBlas() {
  const triplet = TRIPLETS[process.arch];
  const includeDirs = ['/usr/local/include', '/usr/include', '/usr/include/openblas', '/opt/homebrew/opt/openblas/include'];
  const libDirs = ['/usr/local/lib', '/usr/lib', '/usr/lib64', '/lib', '/lib64', '/opt/homebrew/opt/openblas/lib'];
  if (triplet) {
    includeDirs.push(`/usr/include/${triplet}`);
    libDirs.push(`/usr/lib/${triplet}`, `/lib/${triplet}`);
  }
  const header = firstExisting(includeDirs.map((d) => join(d, 'cblas.h')));
  const library =
    firstExisting(libDirs.flatMap((d) => [join(d, 'libopenblas.so'), join(d, 'libopenblas.dylib')])) ?? fromLdconfig();
  const compiler = onPath(['c++', 'g++', 'clang++']);
  const make = onPath(['make']);
  const missing = [];
  if (!header || !library) missing.push('OpenBLAS (Debian/Ubuntu: libopenblas-dev)');
  if (!compiler || !make) missing.push('a C++ toolchain (g++ and make)');
  return { header, library, compiler, make, buildable: missing.length === 0, missing };
}
