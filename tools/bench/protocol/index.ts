/**
 * The evaluation protocol of every results bench (docs/protocol.md): fixed splits, seeds and
 * mean ± std, one probe setting for all modalities, the baselines, the margin rule, a test split read
 * only through `report()`, and the vision benches' method building and per-encoder baselines.
 */
export * from './baselines.js';
export * from './held-out.js';
export * from './margin.js';
export * from './method-entry.js';
export * from './probes.js';
export * from './splits.js';
export * from './stats.js';
export * from './table.js';
export * from './tfidf.js';
export * from './usage.js';
export * from './vision.js';
