/** What an export wrote, for the CLI and for callers that list or upload the files. */
export interface ExportResult {
  /** `tfjs-layers` (model.json + weights.bin) or `onnx` (model.onnx). */
  format: 'tfjs-layers' | 'onnx';
  /** Absolute paths of the files written, the entry file first. */
  files: string[];
  /** Shape of one input sample without the batch axis, as the encoder takes it (images: `[h, w, c]`, NHWC). */
  inputShape: number[];
  /** Width of the embedding the exported model outputs, `[batch, outputDim]`. */
  outputDim: number;
}
