import { methodRegistry } from '@autodidact/core';
import { CLM_METHOD } from './clm.js';
import { DATA2VEC_TEXT_METHOD } from './data2vec.js';
import { MLM_METHOD } from './mlm.js';
import { SIMCSE_METHOD } from './simcse.js';

/** Text methods by name: what `autodidact pretrain text --method <name>` builds. */
export const methods = methodRegistry('text method', [MLM_METHOD, CLM_METHOD, SIMCSE_METHOD, DATA2VEC_TEXT_METHOD]);
