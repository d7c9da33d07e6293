/**
 * The one loop every line-oriented sequence format shares: feed lines to a push parser, collect
 * the records it completes, and let it finish (or fail) at the end of the input. Streams read
 * files through {@link readLines}; in-memory text is split the same way, so `\r\n` endings and a
 * final newline mean the same thing in both paths.
 */
import { readLines } from '#read-lines';

/** A push parser over the lines of one input. */
export interface LineRecordParser<R> {
  /** Consumes one line (without its ending); returns a record when the line completes one. */
  push(line: string): R | undefined;
  /** Ends the input: returns a last pending record, if the format has one; throws on a truncated input. */
  end(): R | undefined;
}

/** Records of a (possibly gzipped) file, streamed through `parser`. */
export async function* streamLineRecords<R>(path: string, parser: LineRecordParser<R>): AsyncGenerator<R> {
  for await (const line of readLines(path)) {
    const rec = parser.push(line);
    if (rec) yield rec;
  }
  const last = parser.end();
  if (last) yield last;
}

/** Records of text held in memory, parsed by `parser`. */
export function parseLineRecords<R>(text: string, parser: LineRecordParser<R>): R[] {
  const out: R[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const rec = parser.push(line);
    if (rec) out.push(rec);
  }
  const last = parser.end();
  if (last) out.push(last);
  return out;
}
