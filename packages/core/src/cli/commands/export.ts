import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { initBackend } from '../../backend/index.js';
import { ConfigError } from '../../errors.js';
import { exportOnnx } from '../../export/onnx.js';
import { exportTfjsLayers } from '../../export/tfjs-layers.js';
import { commandMessages, type LogFormat } from '../log-output.js';
import { prepareOutDir } from '../out-dir.js';
import { restoreEncoder } from '../restore-encoder.js';

/** Export formats of `autodidact export`. */
export const EXPORT_FORMATS = ['tfjs', 'onnx'] as const;

export interface ExportFlags {
  /** `tfjs` (layers model.json + weights.bin) or `onnx` (model.onnx). */
  format: (typeof EXPORT_FORMATS)[number];
  /** Output folder. */
  out: string;
  backend?: 'tensorflow' | 'native' | 'cpu' | 'wasm';
  quiet?: boolean;
  /** `text` or `json` messages on stderr (default env AUTODIDACT_LOG_FORMAT). */
  logFormat?: LogFormat;
}

/** The folder of a saved encoder given either that folder (a pretrain `--out`) or its `encoder.json`. */
export async function encoderDir(path: string): Promise<string> {
  const p = resolve(path);
  return (await stat(p)).isFile() && basename(p) === 'encoder.json' ? dirname(p) : p;
}

/**
 * `autodidact export <run dir | encoder.json> --format tfjs|onnx --out <dir>`: writes the trained
 * encoder in a format other runtimes load (plain tfjs in a browser; onnxruntime). Prints one
 * JSON line with the format, the files written, the input shape and the embedding width.
 */
export async function exportCommand(source: string, flags: ExportFlags): Promise<void> {
  const { say, quietBackend } = commandMessages(flags);
  if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
    throw new ConfigError(`expected one of ${EXPORT_FORMATS.join(', ')}, got '${flags.format}'`, { field: '--format' });
  }
  // Before anything loads: a bad --out (a file, read-only, /proc) is a one-line error.
  const out = await prepareOutDir(flags.out, '--out');
  await initBackend({ prefer: flags.backend, quiet: quietBackend });
  const dir = await encoderDir(source);
  const { encoder, meta } = await restoreEncoder(dir);
  try {
    const metadata = { modality: meta.modality, method: meta.method, methodOptions: meta.methodOptions };
    const result =
      flags.format === 'onnx'
        ? await exportOnnx(encoder, out, { metadata })
        : await exportTfjsLayers(encoder, out, { metadata });
    say(`wrote ${result.format} export of ${meta.modality}/${encoder.config.kind} (${meta.method}) to ${out}`, {
      format: result.format,
      out,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    encoder.dispose();
  }
}
