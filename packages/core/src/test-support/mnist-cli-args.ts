/**
 * The arguments of the short `autodidact` runs on MNIST that the CLI tests start from: a SimCLR
 * pretrain run on the training images and a probe of its encoder against the test images.
 */
import { mnistTest, mnistTrain } from './mnist.js';

/** Size of a short pretrain run. */
export interface ShortPretrain {
  /** Training images read. */
  limit: number;
  batchSize: number;
  steps: number;
  /** The run's output folder. */
  out: string;
}

/** `autodidact pretrain vision --method simclr` on the MNIST training images, then `extra`. */
export function simclrMnistArgs(run: ShortPretrain, ...extra: string[]): string[] {
  return [
    'pretrain',
    'vision',
    '--method',
    'simclr',
    '--data',
    mnistTrain,
    '--limit',
    String(run.limit),
    '--batch-size',
    String(run.batchSize),
    '--steps',
    String(run.steps),
    '--out',
    run.out,
    ...extra,
  ];
}

/** `autodidact probe <encoder>` trained on 300 MNIST training images, tested on 100 test images, then `extra`. */
export function probeMnistArgs(encoder: string, ...extra: string[]): string[] {
  return [
    'probe',
    encoder,
    '--train',
    mnistTrain,
    '--test',
    mnistTest,
    '--train-limit',
    '300',
    '--test-limit',
    '100',
    ...extra,
  ];
}
