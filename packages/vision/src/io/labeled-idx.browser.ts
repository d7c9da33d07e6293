/**
 * The browser build's `#labeled-idx`: S4L's and SupCon's `labeledData` option names a file,
 * which a browser cannot read; the labelled set is given with the method's `setLabeled` instead.
 */
import { ConfigError } from '@autodidact/core';
import type { readLabeledIdx as ReadLabeledIdx } from './labeled-idx.js';

/** Throws: a browser build reads no files; a one-line ConfigError says what to do instead. */
export const readLabeledIdx: typeof ReadLabeledIdx = (file, _count, method) => {
  throw new ConfigError(
    `${method} cannot read '${file}' in a browser build; pass the labelled set with setLabeled(images, labels)`,
    { field: 'labeledData' },
  );
};
