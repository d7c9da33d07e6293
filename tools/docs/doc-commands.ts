/**
 * The shell commands of the documentation, as tools/docs/commands.slow.test.ts runs them.
 *
 * Every fenced `sh` block of README.md, packages/<name>/README.md and docs/**\/*.md is read; each
 * line is one command (a trailing `\` continues it; `# ...` comments are dropped). An HTML comment
 * on the line right before the opening fence can say more about the block, in clauses separated by
 * `;` (the comment is invisible where the Markdown is rendered):
 *
 *   <!-- commands: path/to/wavs=data/spoken-digits; path/to/genomes=data/lambda -->
 *       placeholders: a `path/to/<name>` word in a command is replaced by the data path given here
 *       (a placeholder without one fails the test, so none is skipped silently);
 *   <!-- commands: ci tools/ci/fresh-clone.sh .ci/run -->
 *       run by CI itself in those files (the test checks that each command appears there verbatim);
 *   <!-- commands: cwd=repo -->
 *       run from the repository root (they read git), not from the scratch workspace;
 *   <!-- commands: skip <reason> -->
 *       not run (e.g. a real release); the reason (the rest of the comment) is reported.
 *
 * Commands that train run with a size or steps override appended ({@link overrideFor}): the CLI's
 * `--steps`, `--limit`-style flags, the classics' `--steps`, every bench's `--smoke`, and the
 * examples' steps argument. commander and node's parseArgs take the last value of a repeated flag,
 * so an appended `--steps 2` wins over the `--steps 300` a page shows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One command of a documentation page. */
export interface DocCommand {
  /** Page, relative to the repository root. */
  file: string;
  /** 1-based line of the command's first line in the page. */
  line: number;
  /** The command as written (continuations joined, comment dropped). */
  text: string;
  /** The block's directive, if any. */
  directive: BlockDirective;
}

/** What the HTML comment before a block says. */
export interface BlockDirective {
  /** Placeholder name (`wavs` for `path/to/wavs`) -> path. */
  placeholders: Record<string, string>;
  /** Files in which CI runs these commands itself. */
  ci?: string[];
  /** Why the block is not run. */
  skip?: string;
  /** Run from the repository root. */
  repoCwd?: boolean;
}

/** The pages whose `sh` blocks are documentation: README.md, package READMEs, docs/**\/*.md. */
export function docPages(root: string): string[] {
  const out = ['README.md'];
  for (const p of readdirSync(join(root, 'packages')).sort()) {
    if (existsSync(join(root, 'packages', p, 'README.md'))) out.push(`packages/${p}/README.md`);
  }
  const walk = (dir: string) => {
    const entries = readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) if (e.isFile() && e.name.endsWith('.md')) out.push(`${dir}/${e.name}`);
    for (const e of entries) if (e.isDirectory() && e.name !== 'site') walk(`${dir}/${e.name}`);
  };
  walk('docs');
  return out;
}

/** Parses `<!-- commands: ... -->`; throws on a clause it does not know. */
export function parseDirective(comment: string, where: string): BlockDirective {
  const d: BlockDirective = { placeholders: {} };
  const body = /^<!--\s*commands:(.*)-->$/.exec(comment.trim())?.[1];
  if (body === undefined) return d;
  // `skip` takes the rest of the comment as its reason (which may hold `;`)
  const skipAll = /^\s*skip\b\s*(.*?)\s*$/.exec(body);
  if (skipAll) return { ...d, skip: skipAll[1] || 'no reason given' };
  for (const raw of body.split(';')) {
    const clause = raw.trim();
    if (!clause) continue;
    const ci = /^ci\s+(.+)$/.exec(clause);
    const placeholder = /^path\/to\/([\w.-]+)=(\S+)$/.exec(clause);
    if (ci) d.ci = ci[1]!.split(/\s+/);
    else if (clause === 'cwd=repo') d.repoCwd = true;
    else if (placeholder) d.placeholders[placeholder[1]!] = placeholder[2]!;
    else throw new Error(`${where}: unknown commands directive '${clause}'`);
  }
  return d;
}

/** Drops a trailing ` # comment` outside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** The commands of one page, in order. */
export function extractCommands(file: string, markdown: string): DocCommand[] {
  const lines = markdown.split('\n');
  const out: DocCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    // find the closing fence whatever the language, so a block's body is never read as prose
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    if (fence[2] === 'sh') {
      const before = lines[i - 1] ?? '';
      const directive = parseDirective(before, `${file}:${i}`);
      let text = '';
      let start = 0;
      for (let j = i + 1; j < end; j++) {
        const line = stripComment(lines[j]!);
        if (!text && !line.trim()) continue;
        if (!text) start = j + 1;
        if (line.endsWith('\\')) {
          text += `${line.slice(0, -1).trim()} `;
          continue;
        }
        text += line.trim();
        if (text.trim()) out.push({ file, line: start, text: text.trim(), directive });
        text = '';
      }
      if (text.trim()) out.push({ file, line: start, text: text.trim(), directive });
    }
    i = end;
  }
  return out;
}

/** Replaces `path/to/<name>` words by the block's substitutes; throws naming an unmapped one. */
export function substitutePlaceholders(c: DocCommand): string {
  return c.text.replace(/(^|[\s=])path\/to\/([\w.-]+)/g, (_, pre: string, name: string) => {
    const to = c.directive.placeholders[name];
    if (to === undefined) {
      throw new Error(
        `${c.file}:${c.line}: placeholder path/to/${name} has no substitute; add <!-- commands: path/to/${name}=<data path> --> before the block`,
      );
    }
    return `${pre}${to}`;
  });
}

/** Environment assignments, `nice -n N` and `env VAR=value ...` in front of a command. */
const PREFIX = /^((?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:nice\s+-n\s+\d+\s+)?(?:env\s+(?:[A-Z_][A-Z0-9_]*=\S*\s+)+)?)/;

/** Words to append to a command so that it trains briefly; empty when it does not train. */
export function overrideFor(command: string): string[] {
  const body = command.replace(PREFIX, '');
  if (/\s--help\b|\s-h\b/.test(` ${body}`)) return [];
  const cli = /^(?:npx\s+autodidact|autodidact|node\s+\S*packages\/core\/bin\/autodidact\.js)\s+(\S+)/.exec(body);
  if (cli) {
    switch (cli[1]) {
      case 'pretrain':
        return ['--steps', '2', '--probe-train-limit', '200', '--map-samples', '50'];
      case 'finetune':
        return ['--steps', '2', '--train-limit', '200', '--test-limit', '100'];
      case 'probe':
        return ['--train-limit', '200', '--test-limit', '100'];
      case 'embed':
        return ['--limit', '64'];
      default:
        return [];
    }
  }
  if (/^(?:npx\s+autodidact-classics|node\s+.*packages\/classics\/src\/cli\/main\.ts)\s/.test(body))
    return ['--steps', '10'];
  if (/^(?:npx\s+autodidact-multimodal|node\s+.*packages\/multimodal\/src\/cli\/main\.ts)\s/.test(body))
    return ['--steps', '10', '--train-images', '500', '--test-images', '200'];
  if (/^npm\s+run\s+bench(:\S+)?(\s|$)/.test(body)) return body.includes(' -- ') ? ['--smoke'] : ['--', '--smoke'];
  if (/^node\s.*(tools\/bench\/\S+\.ts|\S+\.bench\.ts)(\s|$)/.test(body)) return ['--smoke'];
  return [];
}

/** An example script's steps argument (its last numeric argument, else appended) set to `steps`. */
export function exampleSteps(command: string, steps: number): string | undefined {
  const m = /^(.*?\bnode\s.*packages\/\w+\/examples\/\S+\.ts)(.*)$/.exec(command);
  if (!m) return undefined;
  const args = m[2]!.trim().split(/\s+/).filter(Boolean);
  let last = -1;
  args.forEach((a, i) => {
    if (/^\d+$/.test(a)) last = i;
  });
  if (last >= 0) args[last] = String(steps);
  else args.push(String(steps));
  return [m[1], ...args].join(' ');
}

/** The command as the test runs it: placeholders substituted, the size override appended. */
export function runnableCommand(c: DocCommand): string {
  const text = substitutePlaceholders(c);
  if (/&&|\|\||[|;]/.test(text.replace(/'[^']*'|"[^"]*"/g, ''))) {
    if (overrideFor(text).length > 0 || exampleSteps(text, 1))
      throw new Error(`${c.file}:${c.line}: a compound command that trains; put each command on its own line`);
    return text;
  }
  return exampleSteps(text, 3) ?? [text, ...overrideFor(text)].join(' ');
}

/** Paths a command says it writes: after --out, --plots, --markdown, and redirection targets. */
export function declaredOutputs(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/(?:--out|--plots|--markdown)[\s=]+(\S+)/g)) out.push(m[1]!);
  for (const m of command.matchAll(/(?:^|\s)\d?>\s*(\S+)/g)) out.push(m[1]!);
  return out;
}

/** Every command of the documentation, in page order. */
export function allDocCommands(root: string): DocCommand[] {
  return docPages(root).flatMap((f) => extractCommands(f, readFileSync(join(root, f), 'utf8')));
}

/** `file:line`, for messages. */
export function where(c: DocCommand, root?: string): string {
  return `${root ? relative(root, join(root, c.file)) : c.file}:${c.line}`;
}
