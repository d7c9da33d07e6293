import { methodRegistry } from '@autodidact/core';
import { CPC_METHOD } from './cpc.js';
import { MASKED_NUCLEOTIDE_METHOD } from './masked-nucleotide.js';
import { SELF_GENOMENET_METHOD } from './self-genomenet.js';

/** DNA methods by name: what `autodidact pretrain genomics --method <name>` builds. */
export const methods = methodRegistry('genomics method', [SELF_GENOMENET_METHOD, CPC_METHOD, MASKED_NUCLEOTIDE_METHOD]);
