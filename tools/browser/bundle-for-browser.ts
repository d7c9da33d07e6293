/**
 * Bundles a module for a browser with esbuild (platform `browser`, ES module, the workspace's
 * `source` condition so package sources are read without a build) and reports every import of a
 * Node built-in (`node:fs`, `fs`, `worker_threads`, ...) that the browser build would reach, with
 * the chain of files that leads to it, so a failure names the file to fix. A built-in that a
 * dependency's package.json `browser` field maps away (tfjs-data's `fs`, seedrandom's `crypto`)
 * resolves normally and is not reported.
 */
import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/** One import of a Node built-in reached from the entry. */
export interface NodeImport {
  /** The importing file, relative to `cwd`. */
  file: string;
  /** The specifier as written (`node:fs`, `os`). */
  specifier: string;
  /** Files from the importer back to the entry, relative to `cwd` (the importer first). */
  chain: string[];
}

/** What {@link bundleForBrowser} found. */
export interface BrowserBundle {
  nodeImports: NodeImport[];
  /** Other build errors (an export a portable entry lacks, an unresolvable package), one line each. */
  errors: string[];
  /** Bytes of the minified bundle (0 when the build failed). */
  bytes: number;
  /** Bytes of the minified bundle after gzip (0 when the build failed). */
  gzipBytes: number;
}

/** Options of {@link bundleForBrowser}. */
export interface BundleForBrowserOptions {
  /** Folder that relative paths and bare imports are resolved from. Default `process.cwd()`. */
  cwd?: string;
  /** Extra export conditions. Default `['source']`. */
  conditions?: string[];
}

/**
 * Bundles `source` (module text, e.g. `export * from '@autodidact/core';`) for a browser.
 * Never throws for a failed build: the Node imports and other errors are returned.
 */
export async function bundleForBrowser(source: string, options: BundleForBrowserOptions = {}): Promise<BrowserBundle> {
  const cwd = options.cwd ?? process.cwd();
  const rel = (p: string) => (p.startsWith('/') ? relative(cwd, p) : p);
  const nodeImports: { file: string; specifier: string }[] = [];
  const finder: esbuild.Plugin = {
    name: 'find-node-builtins',
    setup(build) {
      build.onResolve({ filter: BUILTIN }, async (args) => {
        if ((args.pluginData as { inner?: boolean } | undefined)?.inner) return undefined;
        // A dependency's `browser` field may map the built-in away; only what stays unresolved counts.
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { inner: true },
        });
        if (result.errors.length === 0) return undefined;
        nodeImports.push({ file: args.importer, specifier: args.path });
        return { path: args.path, external: true };
      });
    },
  };
  try {
    const out = await esbuild.build({
      stdin: { contents: source, resolveDir: cwd, sourcefile: '<entry>', loader: 'ts' },
      absWorkingDir: cwd,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'silent',
      conditions: options.conditions ?? ['source'],
      plugins: [finder],
      metafile: true,
    });
    const code = out.outputFiles[0]!.contents;
    return {
      nodeImports: withChains(nodeImports, out.metafile, rel),
      errors: out.warnings.map((w) => `${w.location?.file ?? '<entry>'}: ${w.text}`),
      bytes: code.byteLength,
      gzipBytes: gzipSync(code).byteLength,
    };
  } catch (err) {
    const failure = err as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw err;
    return {
      nodeImports: nodeImports.map((n) => ({ ...n, file: rel(n.file), chain: [rel(n.file)] })),
      errors: failure.errors.map((e) => `${e.location?.file ?? '<entry>'}: ${e.text}`),
      bytes: 0,
      gzipBytes: 0,
    };
  }
}

/** Names of Node's built-in modules as written in an import: `fs`, `fs/promises`, `node:fs`. */
const BUILTIN = new RegExp(`^(node:.+|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);

/** Each import with the chain of files from its importer back to the entry, from esbuild's metafile. */
function withChains(
  found: readonly { file: string; specifier: string }[],
  metafile: esbuild.Metafile,
  rel: (p: string) => string,
): NodeImport[] {
  const importerOf = new Map<string, string>(); // file -> first file that imports it (metafile paths)
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) if (!imp.external && !importerOf.has(imp.path)) importerOf.set(imp.path, file);
  }
  return found.map(({ file, specifier }) => {
    const chain = [rel(file)];
    for (let f = importerOf.get(chain[0]!); f !== undefined && !chain.includes(f); f = importerOf.get(f)) {
      if (f !== '<entry>') chain.push(f);
    }
    return { file: rel(file), specifier, chain };
  });
}

/** One line per Node import: `<file> imports <specifier> (via <importer> <- ... <- <entry>)`. */
export function describeNodeImports(found: readonly NodeImport[]): string[] {
  return found.map(
    (n) => `${n.file} imports ${n.specifier}${n.chain.length > 1 ? ` (via ${n.chain.slice(1).join(' <- ')})` : ''}`,
  );
}
