/**
 * The one place that reads the process environment. Everything else asks `env`.
 *
 * - `AUTODIDACT_BACKEND`: force a tensor backend (`tensorflow`, `native`, `cpu`, `wasm`).
 * - `AUTODIDACT_QUIET`: `1` silences progress output.
 * - `AUTODIDACT_DATA_DIR`: where tools/fetch-data puts datasets (default `<repo>/data`).
 * - `AUTODIDACT_LOG_FORMAT`: `text` (default) or `json`.
 * - `AUTODIDACT_CACHE_DIR`: where data indexes and other caches go (default
 *   `$XDG_CACHE_HOME/autodidact`, else `~/.cache/autodidact`).
 * - `XDG_CACHE_HOME`: the user's cache folder (used only when absolute).
 */
export interface AutodidactEnv {
  backend: string | undefined;
  quiet: boolean;
  dataDir: string | undefined;
  logFormat: 'text' | 'json';
  /** AUTODIDACT_CACHE_DIR, when set. */
  cacheDir: string | undefined;
  /** XDG_CACHE_HOME, when set to an absolute path. */
  xdgCacheHome: string | undefined;
}

function readEnv(): AutodidactEnv {
  const e = typeof process !== 'undefined' && process.env ? process.env : {};
  const truthy = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  return {
    backend: e.AUTODIDACT_BACKEND || undefined,
    quiet: truthy(e.AUTODIDACT_QUIET),
    dataDir: e.AUTODIDACT_DATA_DIR || undefined,
    logFormat: e.AUTODIDACT_LOG_FORMAT === 'json' ? 'json' : 'text',
    cacheDir: e.AUTODIDACT_CACHE_DIR || undefined,
    xdgCacheHome: /^(\/|[A-Za-z]:[\\/])/.test(e.XDG_CACHE_HOME ?? '') ? e.XDG_CACHE_HOME : undefined,
  };
}

/** Environment settings, read once at load; mutable so programs and tests can override. */
export const env: AutodidactEnv = readEnv();
