/**
 * The math of the docs reaches the site as its LaTeX source: after tools/docs/math-plugin.mjs
 * and Markdown (markdown-it, as TypeDoc runs it), every math span's text is exactly the LaTeX
 * written, with no emphasis or lost backslashes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protectMath } from './math-plugin.mjs';

const root = resolve(import.meta.dirname, '..', '..');
// markdown-it is TypeDoc's Markdown parser (a dependency of the typedoc dev dependency).
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (o: object) => { render(s: string): string };
const md = new MarkdownIt({ html: true, linkify: true });
const decode = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** LaTeX of every math span in rendered HTML. */
function renderedMath(html: string): string[] {
  return [...html.matchAll(/<(span|div) class="math[^"]*">([\s\S]*?)<\/\1>/g)].map((m) => decode(m[2]!));
}
/** LaTeX written in Markdown (outside code), the way the plugin finds it. */
function writtenMath(markdown: string): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/^[ \t]*\$\$([\s\S]+?)\$\$[ \t]*$|\$\$([^$\n]+?)\$\$|\$([^$\n]+?)\$/gm)].map((m) =>
    m[1] !== undefined ? `$$${m[1].trim()}$$` : m[2] !== undefined ? `$$${m[2]}$$` : `$${m[3]}$`,
  );
}

describe('math in the docs', () => {
  it('Markdown alone mangles LaTeX, the plugin keeps it (self-check)', () => {
    const src = 'a $f(x)_t$ and $g_{t}$, $\\|z\\|$, `$code$`\n\n$$\\sum_i x_i^*$$\n';
    expect(md.render(src)).toContain('<em>');
    const html = md.render(protectMath(src));
    expect(html).not.toContain('<em>');
    expect(renderedMath(html).sort()).toEqual(['$$\\sum_i x_i^*$$', '$f(x)_t$', '$g_{t}$', '$\\|z\\|$'].sort());
    expect(html).toContain('<code>$code$</code>');
  });

  it('every math span of docs/**/*.md reaches the HTML exactly as written', () => {
    const files = [
      'guide.md',
      'objectives.md',
      'reliability.md',
      ...readdirSync(join(root, 'docs', 'methods')).map((f) => `methods/${f}`),
    ];
    let spans = 0;
    for (const f of files) {
      const src = readFileSync(join(root, 'docs', f), 'utf8');
      const html = md.render(protectMath(src));
      const got = renderedMath(html);
      expect(got.sort(), f).toEqual(writtenMath(src).sort());
      spans += got.length;
    }
    expect(spans).toBeGreaterThan(100);
  });
});
