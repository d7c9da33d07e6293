/**
 * data2vec for text (Baevski et al. 2022, "data2vec: A General Framework for Self-supervised
 * Learning in Speech, Vision and Language", sec. 3 and 4.3): the student sees BERT-masked tokens
 * (15%: 80% mask, 10% random, 10% kept, bert-masking.ts) and regresses, at the masked positions,
 * the average of the top K block outputs of an EMA teacher that sees the whole sequence, each
 * block layer-normed (the paper's text setting; fairseq text/pretraining/base.yaml: K = 10,
 * smooth L1 with beta = 4, scale 1). The teacher and the loss are core's Data2VecTeacher.
 */
import {
  DATA2VEC_COMMON_DEFAULTS,
  DATA2VEC_COMMON_SCHEMA,
  Data2VecMethod,
  type Data2VecNorm,
  data2vecNormSchema,
  type LossOutput,
  type Rng,
  type StepContext,
  type OptionSchema,
} from '@autodidact/core';
import * as tf from '@tensorflow/tfjs';
import type { TransformerTextEncoder } from '../models/transformer-text-encoder.js';
import { bertMask } from './bert-masking.js';
import { buildLmEncoder, LM_DEFAULTS, LM_SCHEMA, lmBertMaskOptions, resolveLmOptions } from './lm-options.js';

/** data2vec text defaults (documented in docs/methods/data2vec.md). */
export const DATA2VEC_TEXT_DEFAULTS = {
  ...LM_DEFAULTS,
  ...DATA2VEC_COMMON_DEFAULTS,
  maskProb: 0.15,
  topK: 10,
  layerNorm: 'layer' as Data2VecNorm,
  beta: 4,
  lossScale: 1,
};

/** Type, bounds and meaning of each option of {@link DATA2VEC_TEXT_DEFAULTS}. */
export const DATA2VEC_TEXT_SCHEMA: OptionSchema<typeof DATA2VEC_TEXT_DEFAULTS> = {
  ...LM_SCHEMA,
  ...DATA2VEC_COMMON_SCHEMA,
  maskProb: { type: 'number', min: 0, max: 1, description: "Share of tokens masked (BERT's 15%)." },
  topK: {
    type: 'integer',
    min: 1,
    description: 'Top K teacher blocks averaged (paper 10 of 12; clamped to `layers`).',
  },
  layerNorm: data2vecNormSchema('Norm of each teacher block: `layer` for text.'),
  beta: { type: 'number', min: 0, description: "Smooth-L1 width (paper's text preset 4)." },
  lossScale: { type: 'number', min: 0, description: "Loss scale (paper's text preset 1)." },
};
/** Options of {@link Data2VecText}. */
export type Data2VecTextOptions = typeof DATA2VEC_TEXT_DEFAULTS;

/** data2vec text pretraining: see the file header. */
export class Data2VecText extends Data2VecMethod<TransformerTextEncoder, Data2VecTextOptions> {
  constructor(sampleShape: number[], options: Partial<Data2VecTextOptions>, rng: Rng) {
    const o = resolveLmOptions('data2vec', DATA2VEC_TEXT_SCHEMA, DATA2VEC_TEXT_DEFAULTS, options);
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
