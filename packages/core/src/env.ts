/**
 * The one place that reads the process environment. Everything else asks `env`.
 *
 * - `AUTODIDACT_BACKEND`: force a tensor backend (`tensorflow`, `native`, `cpu`, `wasm`).
 * - `AUTODIDACT_QUIET`: `1` silences progress output.
 * - `AUTODIDACT_DATA_DIR`: where tools/fetch-data puts datasets (default `<repo>/data`).
 * - `AUTODIDACT_LOG_FORMAT`: `text` (default) or `json`.
 * - `XDG_CACHE_HOME`: the user's cache folder (default `~/.cache`); autodidact keeps its caches
 *   (trained tokenizers) in `autodidact/` there.
 */
export interface AutodidactEnv {
  backend: string | undefined;
  quiet: boolean;
  dataDir: string | undefined;
  logFormat: 'text' | 'json';
  /** XDG_CACHE_HOME when set (an absolute path, as the XDG spec requires; a relative one is ignored). */
  cacheHome: string | undefined;
}

function readEnv(): AutodidactEnv {
  const e = typeof process !== 'undefined' && process.env ? process.env : {};
  const truthy = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  return {
    backend: e.AUTODIDACT_BACKEND || undefined,
    quiet: truthy(e.AUTODIDACT_QUIET),
    dataDir: e.AUTODIDACT_DATA_DIR || undefined,
    logFormat: e.AUTODIDACT_LOG_FORMAT === 'json' ? 'json' : 'text',
    cacheHome: e.XDG_CACHE_HOME?.startsWith('/') ? e.XDG_CACHE_HOME : undefined,
  };
}

/** Environment settings, read once at load; mutable so programs and tests can override. */
export const env: AutodidactEnv = readEnv();
