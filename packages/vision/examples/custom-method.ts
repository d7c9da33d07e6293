// A method of your own: its options declared once (default, type, bounds, meaning), its definition
// (what the CLI and registries read), the class the Trainer runs, and a linear probe after training.
// The method: SimCLR's NT-Xent on two augmented views, with the augmentation strength and the
// temperature as options.
//   node --conditions=source --import tsx packages/vision/examples/custom-method.ts [steps]
import {
  type BatchSizeMinimum,
  defineMethod,
  embedDataset,
  initBackend,
  type LossOutput,
  linearProbe,
  type Method,
  MlpHead,
  mergeVariables,
  methodRegistry,
  ntXent,
  type OptionsOf,
  type OptionTable,
  Rng,
  type StepContext,
  Trainer,
} from '@autodidact/core';
import { createEncoder, defaultViewPipeline, encoders, stackedViews } from '@autodidact/vision';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from './mnist.js';

/** Each option once: `--option jitter=0.2`, `--help` and the checks all read this table. */
const MY_OPTIONS = {
  jitter: { type: 'number', default: 0.4, min: 0, description: 'Brightness/contrast jitter strength.' },
  temperature: { type: 'number', default: 0.2, above: 0, description: 'NT-Xent temperature.' },
  projectionDim: { type: 'integer', default: 64, min: 1, description: 'Projection width.' },
} satisfies OptionTable;
type MyOptions = OptionsOf<typeof MY_OPTIONS>;

const MY_METHOD = defineMethod({
  name: 'my-contrastive',
  modality: 'vision',
  summary: 'NT-Xent between two views, jitter and temperature as options',
  options: MY_OPTIONS,
  trainerDefaults: { batchSize: 128, optimizer: { name: 'adam', lr: 2e-3 } },
  minBatchSize: { size: 2, reason: 'NT-Xent contrasts each image with the other images of its batch' },
  create: ({ sampleShape, options, rng }) => new MyContrastive(sampleShape, options, rng),
});

class MyContrastive implements Method<tf.Tensor> {
  readonly name: string = MY_METHOD.name;
  readonly minBatchSize?: BatchSizeMinimum = MY_METHOD.minBatchSize;
  readonly options: MyOptions;
  readonly encoder;
  private readonly head: MlpHead;
  private readonly views;
  private readonly objective;

  constructor(sampleShape: number[], options: Partial<MyOptions>, rng: Rng) {
    this.options = MY_METHOD.resolve(options); // a wrong or unknown option is a one-line error here
    this.encoder = createEncoder(encoders.get('conv-small').config(sampleShape), rng);
    this.head = new MlpHead('projector/', this.encoder.config.outputDim, 256, this.options.projectionDim, rng);
    this.views = defaultViewPipeline({ jitter: this.options.jitter });
    this.objective = ntXent({ temperature: this.options.temperature });
  }

  trainableVariables() {
    return mergeVariables(this.encoder.trainableVariables(), this.head.trainableVariables());
  }

  stateVariables() {
    return mergeVariables(this.encoder.allVariables(), this.head.allVariables());
  }

  computeLoss(batch: tf.Tensor, ctx: StepContext): LossOutput {
    const z = this.head.apply(this.encoder.apply(stackedViews(batch, this.views, ctx.rng), true), true);
    const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return { loss: this.objective.compute({ z1, z2 }) };
  }

  embed(batch: tf.Tensor): tf.Tensor2D {
    return this.encoder.apply(batch, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.head.dispose();
  }
}

await initBackend();
const { train, test } = await loadMnist({ train: 5000, test: 1000 });

// A registry of your own methods, as each modality package keeps one.
const mine = methodRegistry('my method', [MY_METHOD]);
const spec = mine.get('my-contrastive');
const method = spec.create({ sampleShape: [28, 28, 1], options: { jitter: 0.2 }, rng: new Rng(0) });
const steps = Number(process.argv[2] ?? 100);
const result = await new Trainer(method, { ...spec.trainerDefaults, batchSize: 128, steps, seed: 0, logEvery: 25 }).fit(train);

const trainX = embedDataset((x) => method.embed(x), train);
const testX = embedDataset((x) => method.embed(x), test);
const { accuracy } = await linearProbe({ trainX, trainY: train.labels!, testX, testY: test.labels! });
const h = result.lossHistory;
console.log(`\n${spec.name} (${JSON.stringify(method.options)}): loss ${h[0]!.toFixed(3)} -> ${h.at(-1)!.toFixed(3)}`);
console.log(`linear probe on its frozen encoder: ${(100 * accuracy).toFixed(1)}%`);
tf.dispose([trainX, testX]);
method.dispose();
