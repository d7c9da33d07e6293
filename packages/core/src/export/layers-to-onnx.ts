/**
 * ONNX (opset 13) from a tf.layers model, written directly: no maintained tfjs-to-ONNX
 * converter runs in JavaScript (tf2onnx is a Python tool), and the layers our encoders are
 * built from map one to one onto ONNX operators. Supported: Conv2D, Dense, BatchNormalization,
 * ReLU, LeakyReLU, Activation, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D,
 * GlobalMaxPooling2D, Flatten, Add, and the inference-time identities Dropout, GaussianNoise,
 * GaussianDropout, AlphaDropout. Enough for conv-small, mlp and residual networks.
 *
 * Layout: the graph takes the tfjs input as is (images NHWC, `[batch, h, w, c]`) and transposes
 * to NCHW, ONNX's convolution layout, only where an operator needs it (and back before a
 * Flatten, which must see tfjs's NHWC order). Padding `same` becomes explicit pads computed as
 * TensorFlow does (the odd pixel at the bottom/right).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';

/** Layer classes `layersModelToOnnx` maps. */
export const ONNX_SUPPORTED_LAYERS = [
  'InputLayer',
  'Conv2D',
  'Dense',
  'BatchNormalization',
  'ReLU',
  'LeakyReLU',
  'Activation',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Add',
  'Dropout',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
] as const;

/** Options of `layersModelToOnnx`. */
export interface OnnxExportOptions {
  /** Name of the graph input. Default `input`. */
  inputName?: string;
  /** Name of the graph output. Default `embedding`. */
  outputName?: string;
  /** Producer version written into the file (e.g. the @autodidact/core version). */
  producerVersion?: string;
  /** String metadata (`metadata_props`); onnxruntime shows it as the model's custom metadata. */
  metadata?: Record<string, string>;
}

/** The ONNX opset the exporter targets. */
export const ONNX_OPSET = 13;

/** A value of the tfjs graph as ONNX names: its tfjs layout (`native`) and, for rank 4, maybe NCHW. */
interface Value {
  rank: number;
  native?: string;
  nchw?: string;
}

/** What tfjs keeps per call of a layer (only the fields read here). */
interface LayerNode {
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

type LayerWithNodes = tf.layers.Layer & { inboundNodes: LayerNode[] };

const unsupported = (layer: tf.layers.Layer, why: string) =>
  new ConfigError(`layer '${layer.name}' (${layer.getClassName()}) cannot be exported to ONNX: ${why}`, {
    field: 'encoder',
  });

const pair = (x: unknown, name: string, layer: tf.layers.Layer): [number, number] => {
  const v = Array.isArray(x) ? x : [x, x];
  if (v.length !== 2 || !v.every((n) => Number.isInteger(n))) throw unsupported(layer, `${name} ${JSON.stringify(x)}`);
  return [v[0] as number, v[1] as number];
};

/** Explicit ONNX pads `[top, left, bottom, right]` for TensorFlow's `same` or `valid`. */
function pads(
  padding: string,
  input: [number | null, number | null],
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number],
  layer: tf.layers.Layer,
): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') throw unsupported(layer, `padding '${padding}'`);
  const before: number[] = [];
  const after: number[] = [];
  for (let a = 0; a < 2; a++) {
    const n = input[a];
    if (n == null) throw unsupported(layer, "padding 'same' needs a fixed input size");
    const k = (kernel[a]! - 1) * dilation[a]! + 1;
    const out = Math.ceil(n / strides[a]!);
    const total = Math.max((out - 1) * strides[a]! + k - n, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}

/** Values of a layer's weight by its short name (`kernel`, `gamma`, `moving_mean`, ...). */
function weight(layer: tf.layers.Layer, short: string): tf.Tensor | undefined {
  const w = layer.weights.find((v) => v.originalName.split('/').pop() === short);
  return w?.read();
}

/** Serialises `model` (one input, one output) as an ONNX opset-13 model. */
export function layersModelToOnnx(model: tf.LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ConfigError(
      `model '${model.name}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the ONNX export takes one of each`,
      { field: 'encoder' },
    );
  }
  const g = new OnnxGraphBuilder(model.name);
  const values = new Map<number, Value>();
  const input = model.inputs[0]!;
  const inputName = g.fresh(options.inputName ?? 'input');
  values.set(input.id, { rank: input.shape.length, native: inputName });

  const transposeTo = (v: Value, layout: 'native' | 'nchw', base: string): string => {
    if (v.rank !== 4) return v.native!;
    if (v[layout]) return v[layout]!;
    const perm = layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    const from = layout === 'nchw' ? v.native! : v.nchw!;
    v[layout] = g.node(
      'Transpose',
      [from],
      { perm: { ints: perm } },
      `${base}/to_${layout === 'nchw' ? 'nchw' : 'nhwc'}`,
    );
    return v[layout]!;
  };
  /** A value in the layout it already has (NCHW preferred), for layout-agnostic operators. */
  const anyLayout = (v: Value): { name: string; layout: 'native' | 'nchw' } =>
    v.nchw ? { name: v.nchw, layout: 'nchw' } : { name: v.native!, layout: 'native' };
  const make = (rank: number, name: string, layout: 'native' | 'nchw'): Value =>
    rank === 4 && layout === 'nchw' ? { rank, nchw: name } : { rank, native: name };

  const activation = (x: string, act: string, layer: tf.layers.Layer): string => {
    const base = `${layer.name}/${act}`;
    switch (act) {
      case 'linear':
        return x;
      case 'relu':
        return g.node('Relu', [x], {}, base);
      case 'sigmoid':
        return g.node('Sigmoid', [x], {}, base);
      case 'tanh':
        return g.node('Tanh', [x], {}, base);
      case 'softplus':
        return g.node('Softplus', [x], {}, base);
      case 'elu':
        return g.node('Elu', [x], { alpha: { f: 1 } }, base);
      case 'selu':
        return g.node('Selu', [x], {}, base);
      case 'relu6': {
        const lo = g.floatInitializer(`${base}/min`, [0], []);
        const hi = g.floatInitializer(`${base}/max`, [6], []);
        return g.node('Clip', [x, lo, hi], {}, base);
      }
      case 'swish':
        return g.node('Mul', [x, g.node('Sigmoid', [x], {}, `${base}/sigmoid`)], {}, base);
      default:
        throw unsupported(layer, `activation '${act}'`);
    }
  };

  for (const layer of model.layers as LayerWithNodes[]) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    if (layer.inboundNodes.length !== 1) throw unsupported(layer, 'a layer shared between several calls');
    const node = layer.inboundNodes[0]!;
    const ins = node.inputTensors.map((t) => {
      const v = values.get(t.id);
      if (!v) throw unsupported(layer, `its input '${t.name}' comes from outside the model`);
      return v;
    });
    const outRank = node.outputTensors[0]!.shape.length;
    const config = layer.getConfig() as Record<string, unknown>;
    const name = layer.name;
    if (config.dataFormat != null && config.dataFormat !== 'channelsLast') {
      throw unsupported(layer, `dataFormat '${String(config.dataFormat)}' (only channelsLast)`);
    }
    const x = ins[0]!;
    let out: Value;
    switch (cls) {
      case 'Conv2D': {
        const kernel = weight(layer, 'kernel')!; // [kh, kw, cin, cout]
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        const strides = pair(config.strides, 'strides', layer);
        const dilation = pair(config.dilationRate, 'dilationRate', layer);
        const shape = node.inputTensors[0]!.shape;
        const w = g.floatInitializer(
          `${name}/kernel`,
          tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]).dataSync()),
          [cout, cin, kh, kw],
        );
        const bias = weight(layer, 'bias');
        const inputs = [transposeTo(x, 'nchw', name), w];
        if (bias) inputs.push(g.floatInitializer(`${name}/bias`, bias.dataSync(), [cout]));
        const y = g.node(
          'Conv',
          inputs,
          {
            kernel_shape: { ints: [kh, kw] },
            strides: { ints: strides },
            dilations: { ints: dilation },
            pads: { ints: pads(String(config.padding), [shape[1]!, shape[2]!], [kh, kw], strides, dilation, layer) },
            group: { i: 1 },
          },
          name,
        );
        out = make(4, activation(y, String(config.activation), layer), 'nchw');
        break;
      }
      case 'Dense': {
        if (x.rank !== 2) throw unsupported(layer, `Dense on a rank-${x.rank} input (only [batch, features])`);
        const kernel = weight(layer, 'kernel')!; // [in, out]
        const w = g.floatInitializer(`${name}/kernel`, kernel.dataSync(), kernel.shape);
        const bias = weight(layer, 'bias');
        const y = bias
          ? g.node('Gemm', [x.native!, w, g.floatInitializer(`${name}/bias`, bias.dataSync(), bias.shape)], {}, name)
          : g.node('MatMul', [x.native!, w], {}, name);
        out = make(2, activation(y, String(config.activation), layer), 'native');
        break;
      }
      case 'BatchNormalization': {
        const axis = Array.isArray(config.axis) ? config.axis : [config.axis];
        if (axis.length !== 1 || !(axis[0] === -1 || axis[0] === x.rank - 1)) {
          throw unsupported(layer, `normalisation axis ${JSON.stringify(config.axis)} (only the last, channels)`);
        }
        if (x.rank !== 2 && x.rank !== 4) throw unsupported(layer, `a rank-${x.rank} input (only 2 or 4)`);
        const mean = weight(layer, 'moving_mean')!;
        const c = mean.shape[0]!;
        const gamma = weight(layer, 'gamma')?.dataSync() ?? new Float32Array(c).fill(1);
        const beta = weight(layer, 'beta')?.dataSync() ?? new Float32Array(c);
        const y = g.node(
          'BatchNormalization',
          [
            transposeTo(x, 'nchw', name),
            g.floatInitializer(`${name}/gamma`, gamma, [c]),
            g.floatInitializer(`${name}/beta`, beta, [c]),
            g.floatInitializer(`${name}/moving_mean`, mean.dataSync(), [c]),
            g.floatInitializer(`${name}/moving_variance`, weight(layer, 'moving_variance')!.dataSync(), [c]),
          ],
          { epsilon: { f: Number(config.epsilon) } },
          name,
        );
        out = make(x.rank, y, 'nchw');
        break;
      }
      case 'ReLU': {
        const a = anyLayout(x);
        const max = config.maxValue as number | null | undefined;
        const y =
          max == null
            ? g.node('Relu', [a.name], {}, name)
            : g.node(
                'Clip',
                [a.name, g.floatInitializer(`${name}/min`, [0], []), g.floatInitializer(`${name}/max`, [max], [])],
                {},
                name,
              );
        out = make(x.rank, y, a.layout);
        break;
      }
      case 'LeakyReLU': {
        const a = anyLayout(x);
        out = make(x.rank, g.node('LeakyRelu', [a.name], { alpha: { f: Number(config.alpha) } }, name), a.layout);
        break;
      }
      case 'Activation': {
        const a = anyLayout(x);
        out = make(x.rank, activation(a.name, String(config.activation), layer), a.layout);
        break;
      }
      case 'Dropout':
      case 'GaussianNoise':
      case 'GaussianDropout':
      case 'AlphaDropout':
        out = x; // identities at inference
        break;
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const pool = pair(config.poolSize, 'poolSize', layer);
        const strides = config.strides == null ? pool : pair(config.strides, 'strides', layer);
        const shape = node.inputTensors[0]!.shape;
        const attrs = {
          kernel_shape: { ints: pool },
          strides: { ints: strides },
          pads: { ints: pads(String(config.padding), [shape[1]!, shape[2]!], pool, strides, [1, 1], layer) },
          // TensorFlow averages over the real pixels only
          ...(cls === 'AveragePooling2D' ? { count_include_pad: { i: 0 } } : {}),
        };
        const op = cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
        out = make(4, g.node(op, [transposeTo(x, 'nchw', name)], attrs, name), 'nchw');
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const op = cls === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool';
        const pooled = g.node(op, [transposeTo(x, 'nchw', name)], {}, `${name}/pool`); // [batch, c, 1, 1]
        out = make(2, g.node('Flatten', [pooled], { axis: { i: 1 } }, name), 'native');
        break;
      }
      case 'Flatten': {
        // tfjs flattens in its own (NHWC) order
        out =
          x.rank <= 2
            ? x
            : make(2, g.node('Flatten', [transposeTo(x, 'native', name)], { axis: { i: 1 } }, name), 'native');
        break;
      }
      case 'Add': {
        const layout = anyLayout(x).layout;
        const names = ins.map((v) => transposeTo(v, layout, name));
        let y = names[0]!;
        for (let k = 1; k < names.length; k++) y = g.node('Add', [y, names[k]!], {}, name);
        out = make(outRank, y, layout);
        break;
      }
      default:
        throw unsupported(layer, `no ONNX mapping for ${cls}; supported: ${ONNX_SUPPORTED_LAYERS.join(', ')}`);
    }
    if (out.rank !== outRank) throw unsupported(layer, `internal: rank ${out.rank}, tfjs says ${outRank}`);
    values.set(node.outputTensors[0]!.id, out);
  }

  const output = model.outputs[0]!;
  const last = values.get(output.id);
  if (!last)
    throw new ConfigError(`model '${model.name}': its output is not produced by its layers`, { field: 'encoder' });
  const outputName = g.node('Identity', [transposeTo(last, 'native', 'output')], {}, options.outputName ?? 'embedding');
  const symbolic = (shape: (number | null)[]) => shape.map((d, i) => (d == null ? (i === 0 ? 'batch' : `d${i}`) : d));
  return g.toModelProto({
    inputs: [{ name: inputName, shape: symbolic(input.shape) }],
    outputs: [{ name: outputName, shape: symbolic(output.shape) }],
    opset: ONNX_OPSET,
    producerName: 'autodidact',
    producerVersion: options.producerVersion,
    docString: `tf.layers model '${model.name}' exported by @autodidact/core`,
    metadata: options.metadata,
  });
}
