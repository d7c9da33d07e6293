export { type BertMaskOptions, bertMask, type MaskedBatch } from './bert-masking.js';
export { DATA2VEC_TEXT_DEFAULTS, Data2VecText, type Data2VecTextOptions } from './data2vec.js';
export { CausalLm, CLM_DEFAULTS, type ClmOptions, type GenerateOptions } from './clm.js';
export { LM_DEFAULTS, type LmOptions } from './lm-options.js';
export { MaskedLm, MLM_DEFAULTS, type MlmOptions } from './mlm.js';
export { PerplexityMeter } from './perplexity.js';
export { methods } from './registry.js';
export { SIMCSE_DEFAULTS, SimCse, type SimCseOptions } from './simcse.js';
export { hiddenWithDropout } from './simcse-dropout-forward.js';
