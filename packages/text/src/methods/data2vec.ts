/**
 * data2vec for text (Baevski et al. 2022, "data2vec: A General Framework for Self-supervised
 * Learning in Speech, Vision and Language", sec. 3 and 4.3): the student sees BERT-masked tokens
 * (15%: 80% mask, 10% random, 10% kept, bert-masking.ts) and regresses, at the masked positions,
 * the average of the top K block outputs of an EMA teacher that sees the whole sequence, each
 * block layer-normed (the paper's text setting; fairseq text/pretraining/base.yaml: K = 10,
 * smooth L1 with beta = 4, scale 1). The teacher and the loss are core's Data2VecTeacher.
 */
import {
  DATA2VEC_COMMON_OPTIONS,
  Data2VecMethod,
  data2vecNormOption,
  type LossOutput,
  type OptionsOf,
  type OptionTable,
  type Rng,
  type StepContext,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TransformerTextEncoder } from '../models/transformer-text-encoder.js';
import { bertMask } from './bert-masking.js';
import { buildLmEncoder, LM_OPTIONS, lmBertMaskOptions, resolveLmOptions, textMethod } from './lm-options.js';

/** data2vec's text options: type, bounds, meaning and default of each (docs/methods/data2vec.md). */
export const DATA2VEC_TEXT_OPTIONS = {
  ...LM_OPTIONS,
  ...DATA2VEC_COMMON_OPTIONS,
  maskProb: { type: 'number', default: 0.15, min: 0, max: 1, description: "Share of tokens masked (BERT's 15%)." },
  topK: {
    type: 'integer',
    default: 10,
    min: 1,
    description: 'Top K teacher blocks averaged (paper 10 of 12; clamped to `layers`).',
  },
  layerNorm: data2vecNormOption('layer', 'Norm of each teacher block: `layer` for text.'),
  beta: { type: 'number', default: 4, min: 0, description: "Smooth-L1 width (paper's text preset 4)." },
  lossScale: { type: 'number', default: 1, min: 0, description: "Loss scale (paper's text preset 1)." },
} satisfies OptionTable;
/** Options of {@link Data2VecText}. */
export type Data2VecTextOptions = OptionsOf<typeof DATA2VEC_TEXT_OPTIONS>;

/** `--method data2vec`. */
export const DATA2VEC_TEXT_METHOD = textMethod({
  name: 'data2vec',
  summary:
    "data2vec: regress the layer-normed average of an EMA teacher's top blocks at BERT-masked tokens (Baevski et al. 2022)",
  options: DATA2VEC_TEXT_OPTIONS,
  create: ({ sampleShape, options, rng }) => new Data2VecText(sampleShape, options, rng),
});

/** data2vec text pretraining: see the file header. */
export class Data2VecText extends Data2VecMethod<TransformerTextEncoder, Data2VecTextOptions> {
  constructor(sampleShape: number[], options: Partial<Data2VecTextOptions>, rng: Rng) {
    const o = resolveLmOptions(DATA2VEC_TEXT_METHOD, options);
    const encoder = buildLmEncoder(o, sampleShape, false, rng);
    const teacherEncoder = buildLmEncoder(o, sampleShape, false, rng);
    super(o, encoder, teacherEncoder, encoder.config.dim, 'allVariables', rng);
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const { input, targets } = bertMask(batch.dataSync(), ctx.rng, lmBertMaskOptions(this.options));
    const maskBits = Float32Array.from(targets, (t) => (t >= 0 ? 1 : 0));
    return tf.tidy(() => {
      const mask = tf.tensor2d(maskBits, batch.shape as [number, number]);
      const { blocks } = this.teacherEncoder.blockOutputs(batch);
      const student = this.encoder.hidden(tf.tensor(input, batch.shape, 'int32'));
      return this.teacher.loss(student, blocks, mask, this.teacher.momentum(ctx));
    });
  }
}
