/** @autodidact/genomics: Self-supervised learning on DNA: FASTA/FASTQ I/O, reverse-complement-aware encoders, Self-GenomeNet, CPC and masked-nucleotide models. */
export const PACKAGE = '@autodidact/genomics';
