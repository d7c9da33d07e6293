/**
 * A bench's `--methods` entry with options: `name:key=value:...`, e.g.
 * `wav2vec2:pooling=context:maskProb=0.2` or `simclr:koleo=0.1`. Values are read as booleans
 * (`true`/`false`), number lists (`0.9/0.999`), numbers or strings, and checked by the method's
 * own option schema when it is built. Each entry is one table row, named by the entry as given.
 */
export function parseMethodEntry(entry: string): { name: string; options: Record<string, unknown> } {
  const [name, ...kv] = entry.split(':');
  const options: Record<string, unknown> = {};
  for (const pair of kv) {
    const [k, v] = pair.split('=') as [string, string];
    options[k] =
      v === 'true'
        ? true
        : v === 'false'
          ? false
          : /^[-\d.e]+\/[-\d.e]+$/.test(v)
            ? v.split('/').map(Number)
            : Number.isNaN(Number(v))
              ? v
              : Number(v);
  }
  return { name: name!, options };
}
