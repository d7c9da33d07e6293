/**
 * DNA sets (see shared DATASETS.md): real NCBI/SGD sequences from Debian example-data packages,
 * extracted with apt-get download + dpkg -x (never installed, so no BLAST or R comes along).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyAll, copyNamed, debExtract } from './fetch-helpers.js';
import type { DataSetRecipe } from './recipe.js';

export const genomicsSets: Record<string, DataSetRecipe> = {
  bacteria: {
    description:
      '16 complete bacterial genomes of 4 species (E.Coli, H.Pylori, S.Aureus, V.Cholerae) from Debian ragout-examples 2.3 (BSD-3), 18 MB download; train/<species>/ holds all strains but one, test/<species>/ the held-out strain (the last by name)',
    default: true,
    fetch(dest, work) {
      const root = join(debExtract('ragout-examples', work), 'usr/share/doc/ragout/examples');
      for (const species of readdirSync(root).sort()) {
        const src = join(root, species, 'references');
        const strains = readdirSync(src)
          .filter((f) => f.endsWith('.fasta.gz'))
          .sort();
        const heldOut = strains[strains.length - 1];
        copyAll(src, join(dest, 'train', species), (f) => strains.includes(f) && f !== heldOut);
        copyAll(src, join(dest, 'test', species), (f) => f === heldOut);
      }
    },
  },
  yeast: {
    description:
      'S. cerevisiae chromosomes I and II (FASTA) with SGD annotation (GFF3), from Debian gbrowse-data 2.56; 1.2 MB download',
    default: true,
    fetch(dest, work) {
      const db = join(debExtract('gbrowse-data', work), 'var/lib/gbrowse/databases');
      copyNamed(db, dest, ['yeast_scaffolds/chr1.fa', 'yeast_scaffolds/chr2.fa', 'yeast_chr1+2/yeast_chr1+2.gff3']);
    },
  },
  kaptive: {
    description:
      'Kaptive capsule/O-antigen locus references (GenBank, 9.2k CDS with /gene tags), from Debian kaptive-data 2.0.4 (GPL-3+); 2.7 MB download',
    default: true,
    fetch(dest, work) {
      copyAll(join(debExtract('kaptive-data', work), 'usr/share/kaptive/reference_database'), dest, (f) =>
        f.endsWith('.gbk'),
      );
    },
  },
  lambda: {
    description:
      'Phage lambda genome (FASTA) and simulated paired reads (FASTQ), from Debian bowtie2-examples 2.5.0 (GPL-3+); 9.7 MB download',
    default: true,
    fetch(dest, work) {
      const ex = join(debExtract('bowtie2-examples', work), 'usr/share/doc/bowtie2/examples');
      copyNamed(ex, dest, ['reference/lambda_virus.fa.gz', 'reads/reads_1.fq.gz']);
    },
  },
};
