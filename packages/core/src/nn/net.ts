/**
 * Networks of standard layers (convolutions, dense, batch norm, pooling, residual adds) on
 * `ParamMap` variables: the one module system of the library. A `Net` is a list of named nodes
 * in execution order, each a layer of {@link NetLayer} applied to earlier nodes; its variables
 * live in a `ParamMap` under `<prefix><layer>/<weight>` (`encoder/conv1/kernel`,
 * `encoder/bn1/moving_mean`), the names tf.layers gave them before, so checkpoints written by
 * either load in the other.
 *
 * Each layer runs the same tfjs ops tf.layers ran for it (fused conv2d and matMul, the fused
 * training-mode batch norm of `batch-norm.ts`, the same moving-average update), so losses,
 * gradients and checkpoints are bit-identical to the tf.layers networks they replace, without
 * the layers API's per-call bookkeeping. A tf.layers model is still what the export formats are
 * made from (tfjs `model.json`, ONNX): {@link Net.toLayersModel} builds the equivalent one with
 * the net's weights, at export time only.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { adoptParam, disposeParams, type ParamMap } from './params.js';
import { DelegatedVariables } from './variable-owner.js';

/** A tfjs initialiser (`tf.initializers.heNormal({ seed })`, ...). */
export type NetInitializer = ReturnType<typeof tf.initializers.zeros>;

/** Shape of one sample (no batch axis); `null` for a free length. */
export type NetShape = (number | null)[];

/** What a layer needs to make its variables. */
export interface NetBuildContext {
  /** Makes a variable `<prefix><layer>/<weight>` of `initializer`'s values. */
  weight(name: string, shape: number[], initializer: NetInitializer, trainable?: boolean): tf.Variable;
}

/** One layer kind of a {@link Net}. */
export interface NetLayer {
  /** tf.layers class name of the equivalent layer (for export and error messages). */
  readonly className: string;
  /** Makes the variables for inputs of `shapes`; returns the output shape. */
  build(ctx: NetBuildContext, shapes: NetShape[]): NetShape;
  /** Output of a batch. Runs inside the caller's tidy. */
  call(inputs: tf.Tensor[], training: boolean): tf.Tensor;
  /** The equivalent tf.layers layer and its weights in tf.layers' order (export only). */
  toLayers(name: string): { layer: tf.layers.Layer; weights: tf.Tensor[] };
}

/** A node: layer `name` applied to the outputs of nodes `inputs` (indices; 0 is the net's input). */
interface NetNode {
  name: string;
  layer: NetLayer;
  inputs: number[];
  shape: NetShape;
}

/** A reference to a node's output while a net is built. */
export interface NetTensor {
  readonly index: number;
  readonly shape: NetShape;
}

/** Builds a {@link Net}: `input()`, then layers applied to earlier outputs, then `build(output)`. */
export class NetBuilder {
  private readonly nodes: NetNode[] = [];
  private readonly trainable: ParamMap = new Map();
  private readonly state: ParamMap = new Map();

  constructor(
    /** Name of the network (the exported model's name). */
    readonly name: string,
    /** Prefix of every variable name (`encoder/`, `projector/`, ...). */
    readonly prefix: string,
    /** Shape of one input sample. */
    readonly inputShape: NetShape,
  ) {}

  /** The net's input. */
  input(): NetTensor {
    return { index: -1, shape: [...this.inputShape] };
  }

  /** Applies `layer` (named `name`, unique in the net) to `inputs`. */
  apply(name: string, layer: NetLayer, inputs: NetTensor | NetTensor[]): NetTensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (this.nodes.some((n) => n.name === name)) {
      throw new ConfigError(`layer '${name}' already exists in net '${this.name}'`, { field: 'name' });
    }
    const ctx: NetBuildContext = {
      weight: (weight, shape, initializer, trainable = true) => {
        const key = `${this.prefix}${name}/${weight}`;
        if (this.trainable.has(key) || this.state.has(key)) {
          throw new ConfigError(`parameter '${key}' already exists`, { field: 'name' });
        }
        return adoptParam(trainable ? this.trainable : this.state, key, () => initializer.apply(shape, 'float32'), {
          trainable,
        });
      },
    };
    const shape = layer.build(
      ctx,
      list.map((t) => t.shape),
    );
    this.nodes.push({ name, layer, inputs: list.map((t) => t.index), shape });
    return { index: this.nodes.length - 1, shape };
  }

  /** The finished net whose output is `output`. */
  build(output: NetTensor): Net {
    return new Net(this.name, this.prefix, this.inputShape, this.nodes, output.index, this.trainable, this.state);
  }
}

/** A network of {@link NetLayer}s on `ParamMap` variables. */
export class Net {
  constructor(
    readonly name: string,
    /** Prefix of every variable name. */
    readonly prefix: string,
    /** Shape of one input sample. */
    readonly inputShape: NetShape,
    private readonly nodes: readonly NetNode[],
    private readonly output: number,
    private readonly trainable: ParamMap,
    private readonly state: ParamMap,
  ) {}

  /** Output shape of one sample. */
  get outputShape(): NetShape {
    return this.output < 0 ? [...this.inputShape] : [...this.nodes[this.output]!.shape];
  }

  /** Layer names in execution order. */
  get layerNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  /** Output shape of one sample at the layer named `layer`. */
  shapeOf(layer: string): NetShape {
    return [...this.nodes[this.indexOf(layer)]!.shape];
  }

  /** The net's output for `x` `[batch, ...inputShape]`. */
  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    return this.applyUntil(x, training, this.output);
  }

  /** The output of the layer named `layer` for `x`. */
  applyTo(x: tf.Tensor, training: boolean, layer: string): tf.Tensor {
    return this.applyUntil(x, training, this.indexOf(layer));
  }

  /** Position of the layer named `layer`; a ConfigError naming it if the net has none. */
  private indexOf(layer: string): number {
    const index = this.nodes.findIndex((n) => n.name === layer);
    if (index < 0) throw new ConfigError(`net '${this.name}' has no layer '${layer}'`, { field: 'layer' });
    return index;
  }

  private applyUntil(x: tf.Tensor, training: boolean, last: number): tf.Tensor {
    if (last < 0) return x;
    return tf.tidy(() => {
      const values: tf.Tensor[] = [];
      const at = (i: number): tf.Tensor => (i < 0 ? x : values[i]!);
      for (let i = 0; i <= last; i++) {
        const node = this.nodes[i]!;
        values.push(node.layer.call(node.inputs.map(at), training));
      }
      return values[last]!;
    });
  }

  /** Trainable variables by stable name, in creation order. */
  trainableVariables(): Map<string, tf.Variable> {
    return new Map(this.trainable);
  }

  /** Every variable: the trainable ones, then the state (batch-norm moving statistics). */
  allVariables(): Map<string, tf.Variable> {
    return new Map([...this.trainable, ...this.state]);
  }

  /**
   * The equivalent tf.layers model with a copy of the net's current weights (same layer names,
   * inference behaviour and outputs), for the export formats. The caller disposes it.
   */
  toLayersModel(): tf.LayersModel {
    const input = tf.input({ shape: this.inputShape, name: 'input' });
    const values: tf.SymbolicTensor[] = [];
    const pending: { layer: tf.layers.Layer; weights: tf.Tensor[] }[] = [];
    for (const node of this.nodes) {
      const made = node.layer.toLayers(node.name);
      const args = node.inputs.map((i) => (i < 0 ? input : values[i]!));
      values.push(made.layer.apply(args.length === 1 ? args[0]! : args) as tf.SymbolicTensor);
      pending.push(made);
    }
    const model = tf.model({ name: this.name, inputs: input, outputs: this.output < 0 ? input : values[this.output]! });
    for (const { layer, weights } of pending) {
      if (weights.length > 0) layer.setWeights(weights);
    }
    return model;
  }

  dispose(): void {
    disposeParams(this.trainable);
    disposeParams(this.state);
  }
}

/** A net as a module: its variables by stable name, for `Method.trainableVariables`. */
export class NetModule extends DelegatedVariables<Net> {
  constructor(readonly net: Net) {
    super(net);
  }

  /** Prefix of every variable name (`encoder/`, `projector/`, ...). */
  get prefix(): string {
    return this.net.prefix;
  }
}
