export type { Objective } from './objective.js';
export { type ReconstructionInputs, type ReconstructionOptions, reconstruction } from './reconstruction.js';
export { type InfoNCEInputs, type InfoNCEOptions, infoNCE, infoNCEFromLogits } from './info-nce.js';
export { type NTXentInputs, type NTXentOptions, ntXent } from './nt-xent.js';
export { type ByolInputs, byolLoss } from './byol-loss.js';
export { type SimSiamInputs, simsiamLoss } from './simsiam-loss.js';
export {
  type BarlowTwinsInputs,
  type BarlowTwinsOptions,
  barlowTwins,
  barlowTwinsCrossCorrelation,
} from './barlow-twins.js';
export { type VICRegInputs, type VICRegOptions, type VICRegTerms, vicreg, vicregTerms } from './vicreg.js';
export { softmaxCrossEntropy } from './cross-entropy.js';
export { l2NormalizeRows, rowCosineSimilarity } from './cosine-similarity.js';
