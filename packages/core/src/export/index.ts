/** Export of trained encoders: the tfjs layers format (browsers, plain tfjs) and ONNX. */
export type { ExportResult } from './export-result.js';
export { fileLoadHandler, fileSaveHandler, type LayersFileNames } from './file-io-handler.js';
export { layersModelOf } from './layers-model-of.js';
export { exportTfjsLayers, type TfjsExportOptions } from './tfjs-layers.js';
export { exportOnnx, type OnnxFileExportOptions } from './onnx.js';
export { encoderToOnnx } from './encoder-to-onnx.js';
export { type OnnxAttribute, OnnxGraphBuilder, type OnnxModelInfo, type OnnxValueInfo } from './onnx-graph-builder.js';
export { layersModelToOnnx, ONNX_OPSET, ONNX_SUPPORTED_LAYERS, type OnnxExportOptions } from './layers-to-onnx.js';
