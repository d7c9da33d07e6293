/**
 * Gradients of a scalar loss with respect to variables, as `tf.variableGrads` computes them (the
 * same tape, the same gradient functions called in the same order, the same accumulation), but
 * with the memory of the backward pass released as it goes.
 *
 * tfjs's `ENGINE.gradients` keeps every tensor the forward pass saved for its gradient (each
 * layer's input, a batch norm's normalised values, ...) and every gradient it computes on the
 * way back (one per intermediate activation) until the whole backward pass ends, so at its peak a
 * step holds all activations and all their gradients at once: 1.6 GB for a ResNet-18 at batch
 * 2x32 where PyTorch, which frees both as soon as the backward pass is past them, needs 0.9 GB.
 * Here a node's saved tensors are disposed once its gradient has run, and the gradient of a
 * tensor once the node that produced it has passed it on (the tape is walked in reverse order,
 * so nothing later needs it). The freed buffers serve the next gradients, so the backward pass
 * also faults in fewer fresh pages.
 *
 * The walk (getFilteredNodesXToY, backpropagateGradients) follows tfjs-core 4.22's `tape.ts`
 * (Apache-2.0); it reaches the engine's tape through `tf.engine()`. Inside another gradient
 * computation (higher-order gradients) nothing is released early, as in tfjs.
 */
import * as tf from '@tensorflow/tfjs';

/** One node of tfjs's gradient tape (tfjs-core `TapeNode`). */
interface TapeNode {
  id: number;
  kernelName: string;
  outputs: tf.Tensor[];
  inputs: Record<string, tf.Tensor>;
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

/** The parts of tfjs's Engine the walk uses (public at runtime, not in its typings). */
interface EngineTape {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
}

/** The nodes of `tape` on a path from one of `xs` to `y`, in tape order, inputs pruned to those that depend on `xs`. */
function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set<number>(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    for (const name in node.inputs) {
      if (fromX.has(node.inputs[name]!.id)) {
        for (const o of node.outputs) fromX.add(o.id);
        nodesFromX.add(node.id);
        break;
      }
    }
  }
  const leadToY = new Set<number>([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => leadToY.has(o.id))) {
      for (const name in node.inputs) {
        leadToY.add(node.inputs[name]!.id);
        nodesToY.add(node.id);
      }
    }
  }
  const filtered: TapeNode[] = [];
  for (const node of tape) {
    if (!nodesFromX.has(node.id) || !nodesToY.has(node.id)) continue;
    const inputs: Record<string, tf.Tensor> = {};
    for (const name in node.inputs) if (fromX.has(node.inputs[name]!.id)) inputs[name] = node.inputs[name]!;
    filtered.push({ ...node, inputs });
  }
  return filtered;
}

/**
 * What `tf.variableGrads` returns for `f` and `varList`, with the backward pass's memory released early (see the module
 * comment): `value` is f's scalar, `grads` maps each trainable variable's name to its gradient
 * (variables the loss does not reach have none).
 */
export function tapeGradients(
  f: () => tf.Scalar,
  varList: readonly tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const xs = varList.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error('tapeGradients needs at least one trainable variable');
  const engine = tf.engine() as unknown as EngineTape;
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => tf.tidy('forward', f),
  );
  if (!(y instanceof tf.Tensor)) throw new Error('the function passed to tapeGradients must return a tensor');
  const tape = engine.state.activeTape ?? [];
  const nodes = nodesFromXsToY(tape, xs, y);
  // Outermost gradient computation: the tape is ours to free as the walk goes.
  const release = engine.state.gradientDepth === 0;
  const out = tf.tidy('backward', () => {
    const grads = new Map<number, tf.Tensor>(); // tensor id -> its accumulated gradient
    const refs = new Map<tf.Tensor, number>(); // gradient tensor -> entries of `grads` holding it
    const hold = (id: number, g: tf.Tensor) => {
      grads.set(id, g);
      refs.set(g, (refs.get(g) ?? 0) + 1);
    };
    const ones = tf.ones(y.shape);
    const firstBackwardId = ones.id; // tensors with ids from here on were made by this walk
    // Disposes a tensor this walk made once no entry of `grads` holds it.
    const drop = (t: tf.Tensor) => {
      if (release && t.id >= firstBackwardId && !refs.get(t) && !t.isDisposed) t.dispose();
    };
    const unhold = (id: number) => {
      const g = grads.get(id);
      if (!g) return;
      grads.delete(id);
      const n = (refs.get(g) ?? 1) - 1;
      if (n > 0) refs.set(g, n);
      else refs.delete(g);
      drop(g);
    };
    hold(y.id, ones);
    const xIds = new Set(xs.map((x) => x.id));
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
      if (!node.gradient)
        throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
      const names = Object.keys(node.inputs);
      // One scope per node: a custom gradient (tf.customGrad) computes its input gradients when
      // called, and its intermediates would otherwise live until the end of the backward pass.
      const dxs = tf.tidy(() => {
        const inputGradients = node.gradient!(dys);
        return names.map((name) => {
          const fn = inputGradients[name];
          if (!fn) {
            throw new Error(
              `Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`,
            );
          }
          return tf.tidy(fn);
        });
      });
      for (const [k, name] of names.entries()) {
        const dx = dxs[k]!;
        if (dx.dtype !== 'float32') {
          throw new Error(
            `Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`,
          );
        }
        const x = node.inputs[name]!;
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(
            `Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`,
          );
        }
        const current = grads.get(x.id);
        if (current === undefined) {
          hold(x.id, dx);
        } else {
          const sum = tf.add(current, dx);
          unhold(x.id);
          hold(x.id, sum);
          drop(dx);
        }
      }
      if (!release) continue;
      // Every use of the node's outputs lies later on the tape, already walked: their gradients
      // are complete and passed on. The node's saved tensors are its own (kept clones).
      for (const o of node.outputs) if (!xIds.has(o.id)) unhold(o.id);
      for (const t of node.saved ?? []) if (!refs.get(t) && !t.isDisposed) t.dispose();
    }
    const gradList = xs.map((x) => grads.get(x.id));
    if (release) {
      for (const node of tape) for (const t of node.saved ?? []) t.dispose();
      engine.state.activeTape = null;
    }
    return { value: y, grads: gradList };
  });
  if (!out.grads.some((g) => g !== undefined)) {
    throw new Error(
      'Cannot find a connection between any variable and the result of the loss function y=f(x). ' +
        'Please make sure the operations that use variables are inside the function f passed to minimize().',
    );
  }
  if (out.value.rank !== 0) throw new Error(`the loss must be a scalar, got a rank-${out.value.rank} tensor`);
  const grads: tf.NamedTensorMap = {};
  xs.forEach((v, i) => {
    const g = out.grads[i];
    if (g !== undefined) grads[v.name] = g;
  });
  return { value: out.value as tf.Scalar, grads };
}
