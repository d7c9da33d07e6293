/**
 * @autodidact/genomics: self-supervised learning on DNA. Streaming FASTA/FASTQ/GenBank/GFF3
 * readers with an explicit IUPAC policy, one-hot and k-mer encodings, reverse-complement and
 * mutation augmentations, a reverse-complement-aware conv + GRU encoder, and the methods
 * Self-GenomeNet, CPC and masked-nucleotide modelling. `modality` plugs the package into the
 * `autodidact` CLI.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus reading
 * sequence files, windows from files, the on-disk sequence index and the CLI modality.
 */
// Everything every platform gets, listed by name in portable.ts.
export * from './portable.js';
export { readFasta } from './io/fasta.js';
export { readFastq } from './io/fastq.js';
export { readGenBank } from './io/genbank.js';
export { readGff3 } from './io/gff3.js';
export { DEFAULT_WINDOW_LENGTH, type LoadWindowsOptions, loadLabeledWindows, loadWindows } from './io/load-windows.js';
export { type OpenSequenceWindowsOptions, openSequenceWindows } from './io/open-sequence-windows.js';
export {
  indexSequenceFiles,
  type SequenceFileMeta,
  type SequenceIndex,
  type SequenceIndexOptions,
} from './io/sequence-index.js';
export { readLines } from './io/read-lines.js';
export { modality } from './modality.js';
