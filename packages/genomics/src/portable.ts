/**
 * @autodidact/genomics, portable part: what runs wherever tfjs runs and bundles for a browser:
 * the FASTA/FASTQ/GenBank/GFF3 parsers over text in memory with the IUPAC policy, one-hot and
 * k-mer encodings, window datasets, the augmentations, the reverse-complement-aware encoder, the
 * methods and their objectives. A bundler resolving `@autodidact/genomics` under the `browser`
 * condition gets this entry; Node gets `index.ts`, which adds reading sequence files (plain, gzip,
 * xz), windows from files, the on-disk sequence index and the CLI modality.
 */
export { composeDna, type DnaAugmentation } from './augment/dna-augmentation.js';
export { pointMutation } from './augment/point-mutation.js';
export { randomReverseComplement } from './augment/random-reverse-complement.js';
export { decodeBases, encodeBases } from './encode/base-codes.js';
export { type KmerCountOptions, kmerFrequencies, kmerTokens } from './encode/kmer.js';
export { oneHot } from './encode/one-hot.js';
export { type Interval, type RegionWindows, regionWindows } from './encode/region-windows.js';
export { reverseComplement, reverseComplementOneHot } from './encode/reverse-complement.js';
export { WindowDataset } from './encode/window-dataset.js';
export { slidingWindows, type WindowOptions, type WindowRef } from './encode/windows.js';
export { type RcConvGruConfig, RcConvGruEncoder } from './encoders/rc-conv-gru.js';
export { createEncoder, encoders } from './encoders/registry.js';
export { FastaParser, parseFasta, type SequenceReadOptions, type SequenceRecord } from './io/fasta.js';
export { type FastqRecord, FastqParser, parseFastq } from './io/fastq.js';
export { type GenBankFeature, GenBankParser, type GenBankRecord, parseGenBank } from './io/genbank.js';
export { type Gff3Feature, type Gff3File, Gff3Parser, parseGff3 } from './io/gff3.js';
export type { IupacPolicy } from './io/iupac.js';
export {
  extractLocation,
  type FeatureLocation,
  LocationSyntaxError,
  parseInsdcLocation,
  type Segment,
} from './io/location.js';
export { CPC, CPC_METHOD, CPC_OPTIONS, type CPCOptions } from './methods/cpc.js';
export { LinearMap } from './methods/linear-map.js';
export {
  MASKED_NUCLEOTIDE_METHOD,
  MASKED_NUCLEOTIDE_OPTIONS,
  MaskedNucleotide,
  type MaskedNucleotideOptions,
} from './methods/masked-nucleotide.js';
export { DNA_ENCODER_OPTIONS } from './methods/options.js';
export { methods } from './methods/registry.js';
export {
  SELF_GENOMENET_METHOD,
  SELF_GENOMENET_OPTIONS,
  SelfGenomeNet,
  type SelfGenomeNetOptions,
} from './methods/self-genomenet.js';
export { maskedNucleotideLoss, type MaskedNucleotideInputs } from './objectives/masked-nucleotide-loss.js';
export { type RcContextNCEInputs, type RcContextNCEOptions, rcContextNCE } from './objectives/rc-context-nce.js';
