export { alignment, normalizeRows } from './alignment.js';
export { type CollapseDiagnostics, collapseDiagnostics } from './collapse-diagnostics.js';
export { effectiveRank, effectiveRankOf, singularValues } from './effective-rank.js';
export { uniformity } from './uniformity.js';
