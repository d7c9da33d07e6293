// TypeDoc plugin: keeps the LaTeX of the docs legible. Markdown would read `_`, `*` and `\` inside
// `$...$` as emphasis and escapes (`\|x\|` loses its bars, `f(x)_t ... g_{t}` turns italic), so
// before Markdown runs, each `$$...$$` / `$...$` outside code becomes HTML whose special
// characters are numeric entities: the site shows the LaTeX source unchanged, in its own style.
// No KaTeX: no TypeDoc KaTeX plugin renders on the server, and the browser-side one cannot undo
// what Markdown already did to the text.
import { MarkdownEvent } from 'typedoc';

const SPECIAL = /[\\_*[\]()`~|!#<>&"'{}$^-]/g;
/** The text with every Markdown- or HTML-special character as a numeric entity. */
const entities = (s) => s.replace(SPECIAL, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Markdown with its math protected: `$$...$$` alone on its line(s) becomes a
 * `<div class="math display">` block, `$...$` inside a line a `<span class="math">`; fenced code
 * blocks and code spans are left alone. An unmatched `$` stays as it is.
 * @param {string} markdown
 * @returns {string}
 */
export function protectMath(markdown) {
  const parts = markdown.split(/(^```[\s\S]*?^```[^\n]*$)/m);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part; // a fenced code block
      const display = part.replace(
        /^[ \t]*\$\$([\s\S]+?)\$\$[ \t]*$/gm,
        (_, tex) => `<div class="math display">${entities(`$$${tex.trim()}$$`)}</div>`,
      );
      return display
        .split(/(`[^`\n]*`)/)
        .map((seg, j) =>
          j % 2 === 1
            ? seg
            : seg.replace(/\$\$([^$\n]+?)\$\$|\$([^$\n]+?)\$/g, (_m, d, t) =>
                d !== undefined
                  ? `<span class="math">${entities(`$$${d}$$`)}</span>`
                  : `<span class="math">${entities(`$${t}$`)}</span>`,
              ),
        )
        .join('');
    })
    .join('');
}

/** TypeDoc entry: runs before TypeDoc's own Markdown parser (higher priority). @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      event.parsedText = protectMath(event.parsedText);
    },
    100,
  );
}
