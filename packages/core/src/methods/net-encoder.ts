import type * as tf from '@tensorflow/tfjs';
import { type Net, NetModule } from '../nn/net.js';
import type { Encoder, EncoderConfig } from './encoder.js';

/** An `Encoder` backed by a {@link Net} whose output is `[batch, dim]`. */
export class NetEncoder extends NetModule implements Encoder<tf.Tensor> {
  constructor(
    readonly config: EncoderConfig,
    net: Net,
  ) {
    super(net);
  }

  apply(batch: tf.Tensor, training: boolean): tf.Tensor2D {
    return this.net.apply(batch, training) as tf.Tensor2D;
  }
}
