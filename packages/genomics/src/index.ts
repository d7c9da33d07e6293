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
export {
  composeDna,
  CPC,
  CPC_DEFAULTS,
  type CPCOptions,
  createEncoder,
  decodeBases,
  DNA_ENCODER_DEFAULTS,
  type DnaAugmentation,
  encodeBases,
  encoders,
  extractLocation,
  FastaParser,
  FastqParser,
  type FastqRecord,
  type FeatureLocation,
  type GenBankFeature,
  GenBankParser,
  type GenBankRecord,
  type Gff3Feature,
  type Gff3File,
  Gff3Parser,
  type Interval,
  type IupacPolicy,
  type KmerCountOptions,
  kmerFrequencies,
  kmerTokens,
  LinearMap,
  LocationSyntaxError,
  MASKED_NUCLEOTIDE_DEFAULTS,
  MaskedNucleotide,
  type MaskedNucleotideInputs,
  maskedNucleotideLoss,
  type MaskedNucleotideOptions,
  methods,
  oneHot,
  parseFasta,
  parseFastq,
  parseGenBank,
  parseGff3,
  parseInsdcLocation,
  pointMutation,
  randomReverseComplement,
  rcContextNCE,
  type RcContextNCEInputs,
  type RcContextNCEOptions,
  type RcConvGruConfig,
  RcConvGruEncoder,
  type RegionWindows,
  regionWindows,
  reverseComplement,
  reverseComplementOneHot,
  type Segment,
  SELF_GENOMENET_DEFAULTS,
  SelfGenomeNet,
  type SelfGenomeNetOptions,
  type SequenceReadOptions,
  type SequenceRecord,
  slidingWindows,
  WindowDataset,
  type WindowOptions,
  type WindowRef,
} from './portable.js';
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
