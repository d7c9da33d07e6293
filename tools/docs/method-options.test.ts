/**
 * Every method's docs page names every option of its schema (as `key` in backticks), so a new
 * option cannot land without its line on the page. The schema itself (type, bounds, default,
 * meaning) is what `autodidact pretrain <modality> --help` prints.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MethodDefinition } from '@autodidact/core';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/** Page names where one method name serves several modalities (as links.test.ts). */
const pageOf: Record<string, Record<string, string>> = {
  audio: { cpc: 'cpc-audio' },
  genomics: { cpc: 'cpc-dna', mlm: 'masked-nucleotide' },
};

describe('docs/methods pages list their options', () => {
  for (const name of ['vision', 'audio', 'text', 'genomics', 'multimodal']) {
    it(`${name}: every option of every method's schema is on its page`, async () => {
      const { modality } = (await import(`@autodidact/${name}`)) as {
        modality: { methods: { list(): MethodDefinition<unknown>[] } };
      };
      const missing: string[] = [];
      for (const m of modality.methods.list()) {
        const page = pageOf[name]?.[m.name] ?? m.name;
        const text = readFileSync(join(root, 'docs', 'methods', `${page}.md`), 'utf8');
        for (const key of Object.keys(m.schema)) {
          if (!text.includes(`\`${key}\``))
            missing.push(`docs/methods/${page}.md: ${name}/${m.name} option \`${key}\``);
        }
      }
      expect(missing).toEqual([]);
    });
  }
});
