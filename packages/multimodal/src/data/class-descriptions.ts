/**
 * Fashion-MNIST images paired with short class descriptions ("a photo of a sneaker"). Each
 * class has a few names and each description fills a template with one; the templates of the
 * test side are disjoint from the training ones, so zero-shot prototypes are built from
 * sentences never seen in training (only the class words are shared).
 */
import { join } from 'node:path';
import type { Rng } from '@autodidact/core';
import { idxFile, type LabelledTensor, loadIdxImages } from './spoken-digit-pairs.js';

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

/** Fashion-MNIST train and test images `[n, 28, 28, 1]` from `<dataDir>/fashion-mnist`. */
export async function loadFashionImages(
  dataDir: string,
  trainImages = 10000,
  testImages = 1000,
): Promise<{ train: LabelledTensor; test: LabelledTensor }> {
  const dir = join(dataDir, 'fashion-mnist');
  return {
    train: await loadIdxImages(
      idxFile(dir, 'train-images-idx3-ubyte'),
      idxFile(dir, 'train-labels-idx1-ubyte'),
      trainImages,
    ),
    test: await loadIdxImages(
      idxFile(dir, 't10k-images-idx3-ubyte'),
      idxFile(dir, 't10k-labels-idx1-ubyte'),
      testImages,
    ),
  };
}
