export { Adam, type AdamConfig } from './adam.js';
export { AdamW } from './adamw.js';
export { createOptimizer, OPTIMIZER_NAMES } from './create-optimizer.js';
export { GroupedOptimizer } from './grouped-optimizer.js';
export { Lars, LARS_DEFAULT_EXCLUDE, type LarsConfig, type LarsExclude } from './lars.js';
export { type Optimizer, type ParamUpdate, SlotOptimizer } from './optimizer.js';
export { Sgd, type SgdConfig } from './sgd.js';
