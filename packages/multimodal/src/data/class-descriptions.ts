/**
 * Fashion-MNIST images paired with short class descriptions ("a photo of a sneaker"). Each
 * class has a few names and each description fills a template with one; the templates of the
 * validation and test sides are disjoint from the training ones and from each other, so
 * zero-shot prototypes are built from sentences never seen in training (only the class words
 * are shared). Images split as MNIST's (training images 0-49,999, validation 50,000-59,999,
 * test t10k).
 */
import { join } from 'node:path';
import type { Rng } from '@autodidact/core';
import { type ClipEvaluation, type LabelledTensor, loadImageSplits } from './spoken-digit-pairs.js';

/** Fashion-MNIST classes in label order, each with the names descriptions use. */
export const FASHION_MNIST_NAMES: readonly (readonly string[])[] = [
  ['t-shirt', 'top', 'tee'],
  ['trouser', 'pants', 'trousers'],
  ['pullover', 'sweater', 'jumper'],
  ['dress', 'gown', 'frock'],
  ['coat', 'jacket', 'overcoat'],
  ['sandal', 'sandals', 'flip-flop'],
  ['shirt', 'blouse', 'button-up shirt'],
  ['sneaker', 'sneakers', 'trainer'],
  ['bag', 'handbag', 'purse'],
  ['ankle boot', 'boot', 'boots'],
];

/** Templates of training descriptions; `{}` is a class name. */
export const TRAIN_TEMPLATES: readonly string[] = [
  'a photo of a {}',
  'a picture of a {}',
  'an image of the {}',
  'a small {}',
  'a {} in grayscale',
  'a low resolution photo of a {}',
  'this is a {}',
  'a product photo of the {}',
];

/** Templates of held-out test descriptions (none used in training). */
export const TEST_TEMPLATES: readonly string[] = [
  'a blurry photo of a {}',
  'a close-up of the {}',
  'a black and white {}',
  'my {}',
];

/** Templates of validation descriptions (shared with neither the training nor the test templates). */
export const VALIDATION_TEMPLATES: readonly string[] = [
  'a cropped photo of the {}',
  'a dark picture of a {}',
  'a good image of a {}',
  'one {}',
];

/** One description of class `label` from `templates`, chosen with `rng`. */
export function describeClass(label: number, templates: readonly string[], rng: Rng): string {
  const names = FASHION_MNIST_NAMES[label]!;
  return templates[rng.int(templates.length)]!.replace('{}', names[rng.int(names.length)]!);
}

/** Every description of every class from `templates` (all names), with its class. */
export function allDescriptions(templates: readonly string[]): { texts: string[]; labels: Int32Array } {
  const texts: string[] = [];
  const labels: number[] = [];
  FASHION_MNIST_NAMES.forEach((names, c) => {
    for (const t of templates) {
      for (const n of names) {
        texts.push(t.replace('{}', n));
        labels.push(c);
      }
    }
  });
  return { texts, labels: Int32Array.from(labels) };
}

/**
 * Fashion-MNIST training images (the first `trainImages` of rows 0-49,999) and held-out images
 * `[n, 28, 28, 1]` from `<dataDir>/fashion-mnist`: the first `testImages` of the test file, or
 * of the validation rows 50,000-59,999 under `evaluate = 'validation'` (no test file opened).
 */
export async function loadFashionImages(
  dataDir: string,
  trainImages = 10000,
  testImages = 1000,
  evaluate: ClipEvaluation = 'test',
): Promise<{ train: LabelledTensor; test: LabelledTensor }> {
  return loadImageSplits(join(dataDir, 'fashion-mnist'), trainImages, testImages, evaluate);
}
