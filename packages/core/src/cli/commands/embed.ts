import { resolve } from 'node:path';
import { initBackend } from '../../backend/index.js';
import { writeFileAtomic } from '../../checkpoint/index.js';
import { ConfigError } from '../../errors.js';
import { closeDataset } from '../../data/streaming-dataset.js';
import { embedDataset } from '../../eval/index.js';
import { type EncoderDataFlags, encoderLoadOptions } from '../encoder-data.js';
import { encodeNpy } from '../npy.js';
import { commandMessages } from '../log-output.js';
import { parseIntFlag } from '../parse-options.js';
import { restoreEncoder } from '../restore-encoder.js';

export interface EmbedFlags extends EncoderDataFlags {
  data: string;
  out: string;
  batchSize: string;
  limit?: string;
}

/** `autodidact embed <checkpoint> --data p --out file.{json,npy}`. */
export async function embedCommand(checkpoint: string, flags: EmbedFlags): Promise<void> {
  const { say, quietBackend } = commandMessages(flags);
  const out = resolve(flags.out);
  const format = out.endsWith('.npy') ? 'npy' : out.endsWith('.json') ? 'json' : undefined;
  if (!format) throw new ConfigError(`expected a .json or .npy file, got '${flags.out}'`, { field: '--out' });
  await initBackend({ prefer: flags.backend, quiet: quietBackend });
  const limit = parseIntFlag('--limit', flags.limit, 1);
  const batchSize = parseIntFlag('--batch-size', flags.batchSize, 1);
  const restored = await restoreEncoder(resolve(checkpoint));
  const { encoder, modality } = restored;
  const load = encoderLoadOptions(restored, flags, say);
  const dataset = await modality.loadUnlabeled(resolve(flags.data), { ...load, limit });
  const z = await embedDataset((b: unknown) => encoder.apply(b, false), dataset, batchSize);
  const [n, dim] = z.shape;
  const values = (await z.data()) as Float32Array;
  z.dispose();
  if (format === 'npy') {
    await writeFileAtomic(out, encodeNpy(values, [n, dim]));
  } else {
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) rows.push(Array.from(values.subarray(i * dim, (i + 1) * dim)));
    const labels = dataset.labels ? Array.from(dataset.labels) : undefined;
    await writeFileAtomic(
      out,
      JSON.stringify({ shape: [n, dim], embeddings: rows, labels, classNames: dataset.classNames }),
    );
  }
  encoder.dispose();
  await closeDataset(dataset);
  say(`wrote ${n} embeddings of dimension ${dim} to ${out}`, { n, dim, out });
  process.stdout.write(`${JSON.stringify({ n, dim, out })}\n`);
}
