import { ConfigError } from '../errors.js';
import type { Modality } from './modality.js';

/** Modalities the project publishes; others load too if a package of that name exports `modality`. */
export const KNOWN_MODALITIES = ['vision', 'audio', 'text', 'genomics', 'multimodal'] as const;

/**
 * Loads `@autodidact/<name>` at run time and returns its `modality` export. Core never imports
 * a modality package statically, so it installs and runs without any of them.
 */
export async function loadModality(name: string): Promise<Modality<unknown>> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new ConfigError(`'${name}' is not a modality name; known: ${KNOWN_MODALITIES.join(', ')}`, {
      field: 'modality',
    });
  }
  const pkg = `@autodidact/${name}`;
  let mod: { modality?: Modality<unknown> };
  try {
    mod = (await import(pkg)) as { modality?: Modality<unknown> };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(pkg)) {
      throw new ConfigError(
        `modality '${name}' is not installed (npm install ${pkg}); known: ${KNOWN_MODALITIES.join(', ')}`,
        { field: 'modality' },
      );
    }
    throw err;
  }
  if (!mod.modality || typeof mod.modality.loadUnlabeled !== 'function') {
    throw new ConfigError(`${pkg} does not export a 'modality' object`, { field: 'modality' });
  }
  return mod.modality;
}
