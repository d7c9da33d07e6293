import type { Modality } from '../modality.js';
import { KNOWN_MODALITIES, loadModality } from '../load-modality.js';

/** `autodidact methods [modality]`: names and one-line descriptions. */
export async function methodsCommand(only?: string): Promise<void> {
  const names = only ? [only] : [...KNOWN_MODALITIES];
  for (const name of names) {
    let modality: Modality<unknown>;
    try {
      modality = await loadModality(name);
    } catch (err) {
      if (only) throw err;
      process.stdout.write(`${name}: (not installed)\n`);
      continue;
    }
    process.stdout.write(`${name}: ${modality.description}\n`);
    for (const m of modality.methods.list()) process.stdout.write(`  ${m.name.padEnd(16)} ${m.summary}\n`);
  }
}
