/**
 * The MLP heads of joint-embedding methods: `hidden` (dense without bias - batch norm - ReLU)
 * then a linear output, as SimCLR's projector and BYOL's projector and predictor.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, NetModule } from '../nn/net.js';
import { batchNorm, dense, relu, seededGlorot } from '../nn/net-layers.js';
import type { Rng } from '../random/rng.js';

/**
 * An MLP head `[batch, inputDim] -> [batch, outputDim]`: dense (no bias, `hidden` units), batch
 * norm, ReLU, dense. Its variables are named under `prefix`.
 */
export class MlpHead extends NetModule {
  constructor(prefix: string, inputDim: number, hidden: number, outputDim: number, rng: Rng) {
    const net = new NetBuilder(prefix.replace(/\W/g, '_'), prefix, [inputDim]);
    let x = net.apply(
      'dense1',
      dense({ units: hidden, useBias: false, kernelInitializer: seededGlorot(rng.seed()) }),
      net.input(),
    );
    x = net.apply('bn1', batchNorm({ momentum: 0.9, epsilon: 1e-5 }), x);
    x = net.apply('relu1', relu(), x);
    x = net.apply('dense2', dense({ units: outputDim, kernelInitializer: seededGlorot(rng.seed()) }), x);
    super(net.build(x));
  }

  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return this.net.apply(x, training) as tf.Tensor2D;
  }
}
