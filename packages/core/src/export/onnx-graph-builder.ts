/**
 * A small writer of ONNX graphs: nodes in topological order, float initializers, graph inputs
 * and outputs, serialised to a `ModelProto` with protobufjs. It knows nothing of tf.layers;
 * `layersModelToOnnx` drives it.
 */
import { ONNX_ATTRIBUTE_TYPE, ONNX_DTYPE, ONNX_IR_VERSION, onnxType } from './onnx-schema.js';

/** A node attribute, tagged by its ONNX type: `{ i }` int, `{ f }` float, `{ ints }`, `{ floats }`, `{ s }` string. */
export type OnnxAttribute = { i: number } | { f: number } | { ints: number[] } | { floats: number[] } | { s: string };

/** A graph input or output: float32, with a shape whose symbolic axes are strings (`'batch'`). */
export interface OnnxValueInfo {
  name: string;
  shape: (number | string)[];
}

/** Everything besides the graph that goes into the model file. */
export interface OnnxModelInfo {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Default opset version of the `ai.onnx` domain. */
  opset: number;
  producerName: string;
  producerVersion?: string;
  docString?: string;
  /** `metadata_props` key/value pairs (onnxruntime exposes them as custom metadata). */
  metadata?: Record<string, string>;
}

interface NodeRecord {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute: Record<string, unknown>[];
}

/** Little-endian bytes of float32 values, as `TensorProto.raw_data` wants them. */
function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

function attributeProto(name: string, a: OnnxAttribute): Record<string, unknown> {
  if ('i' in a) return { name, type: ONNX_ATTRIBUTE_TYPE.INT, i: a.i };
  if ('f' in a) return { name, type: ONNX_ATTRIBUTE_TYPE.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: ONNX_ATTRIBUTE_TYPE.INTS, ints: a.ints };
  if ('floats' in a) return { name, type: ONNX_ATTRIBUTE_TYPE.FLOATS, floats: a.floats };
  return { name, type: ONNX_ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(a.s) };
}

function valueInfo(v: OnnxValueInfo): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: ONNX_DTYPE.FLOAT,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** Builds one ONNX graph node by node; value names are made unique on request. */
export class OnnxGraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();

  constructor(readonly name: string) {}

  /** A value name not used yet, derived from `base` (`conv1/out`, `conv1/out_1`, ...). */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Adds a constant float32 tensor of shape `dims` (row-major values); returns its name. */
  floatInitializer(base: string, values: ArrayLike<number>, dims: number[]): string {
    const name = this.fresh(base);
    const n = dims.reduce((a, b) => a * b, 1);
    if (n !== values.length) throw new Error(`initializer ${name}: ${values.length} values for shape [${dims}]`);
    this.initializers.push({ name, dims, data_type: ONNX_DTYPE.FLOAT, raw_data: float32Bytes(values) });
    return name;
  }

  /** Adds a node with one output; returns the output's name (`<base>` made unique). */
  node(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, base?: string): string {
    const output = this.fresh(base ?? opType.toLowerCase());
    this.nodes.push({
      input: inputs,
      output: [output],
      name: output,
      op_type: opType,
      attribute: Object.entries(attributes).map(([k, a]) => attributeProto(k, a)),
    });
    return output;
  }

  /** Op types used so far, in order (for tests and summaries). */
  opTypes(): string[] {
    return this.nodes.map((n) => n.op_type);
  }

  /** Serialises the model: IR version 7, the given opset, inputs, outputs and metadata. */
  toModelProto(info: OnnxModelInfo): Uint8Array {
    const ModelProto = onnxType('ModelProto');
    const model = ModelProto.fromObject({
      ir_version: ONNX_IR_VERSION,
      opset_import: [{ domain: '', version: info.opset }],
      producer_name: info.producerName,
      ...(info.producerVersion ? { producer_version: info.producerVersion } : {}),
      ...(info.docString ? { doc_string: info.docString } : {}),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: info.inputs.map(valueInfo),
        output: info.outputs.map(valueInfo),
      },
      metadata_props: Object.entries(info.metadata ?? {}).map(([key, value]) => ({ key, value })),
    });
    return ModelProto.encode(model).finish();
  }
}
