/**
 * The documentation holds together: every relative link in the Markdown files points at a file
 * that exists, and every method a modality registers has its page under docs/methods. (That the
 * API site builds without warnings is `npm run docs:check`: typedoc.json treats warnings as errors.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

function markdownFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'site' && e.name !== 'node_modules') walk(rel);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  for (const p of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', p, 'README.md'))) out.push(join('packages', p, 'README.md'));
  }
  return out;
}

/** Whether the TypeDoc site renders this Markdown file (docs pages, READMEs of its packages). */
function rendered(file: string): boolean {
  const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
  return file.startsWith('docs/') || config.entryPoints.some((p) => file === join(p, 'README.md'));
}

/** Relative link targets of a Markdown text (inline links and images; code spans and blocks skipped). */
export function relativeLinks(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    out.push(target.split('#')[0]!);
  }
  return out;
}

describe('documentation', () => {
  it('finds broken links (self-check of the link extractor)', () => {
    expect(relativeLinks('see [a](x.md#y), ![p](img/p.png), [w](https://e.org), `[c](no.md)`, [h](#top)')).toEqual([
      'x.md',
      'img/p.png',
    ]);
  });

  it('every relative link in README.md, docs/ and the package READMEs points at an existing file (or folder, where the site does not render the page)', () => {
    const broken: string[] = [];
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      for (const target of relativeLinks(readFileSync(join(root, f), 'utf8'))) {
        const path = resolve(root, dirname(f), decodeURIComponent(target));
        // In pages the site renders (docs/ and the READMEs of the packages in typedoc.json) a
        // folder is no page: TypeDoc can neither copy nor render it. Elsewhere (GitHub) it is.
        const ok = existsSync(path) && (!rendered(f) || statSync(path).isFile());
        if (!ok) broken.push(`${f}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every registered method has a page under docs/methods, linked from docs/index.md', async () => {
    // Page names where one method name serves several modalities.
    const pageOf: Record<string, Record<string, string>> = {
      audio: { cpc: 'cpc-audio' },
      genomics: { cpc: 'cpc-dna', mlm: 'masked-nucleotide' },
    };
    const index = readFileSync(join(root, 'docs', 'index.md'), 'utf8');
    const missing: string[] = [];
    for (const name of ['vision', 'audio', 'text', 'genomics', 'multimodal']) {
      const { modality } = (await import(`@autodidact/${name}`)) as {
        modality: { methods: { names(): string[] } };
      };
      for (const method of modality.methods.names()) {
        const page = pageOf[name]?.[method] ?? method;
        const file = join(root, 'docs', 'methods', `${page}.md`);
        if (!existsSync(file) || !statSync(file).isFile()) missing.push(`${name}/${method}: docs/methods/${page}.md`);
        else if (!index.includes(`(methods/${page}.md)`))
          missing.push(`${name}/${method}: not linked from docs/index.md`);
      }
    }
    expect(missing).toEqual([]);
  });
});
