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
export {
  type DinoLossInputs,
  type DinoLossOptions,
  dinoCenterUpdate,
  dinoLoss,
  dinoTeacherTemperature,
} from './dino-loss.js';
export { type SinkhornKnoppOptions, sinkhornKnopp } from './sinkhorn-knopp.js';
export { type SwavLossInputs, type SwavLossOptions, swavCodes, swavLoss } from './swav-loss.js';
export { type NnclrLossInputs, type NnclrLossOptions, nearestNeighbours, nnclrLoss } from './nnclr-loss.js';
export { type DclInputs, type DclOptions, type DclwOptions, dcl, dclw } from './dcl.js';
export { type MocoV3LossInputs, type MocoV3LossOptions, mocov3Loss } from './mocov3-loss.js';
export { type TicoInputs, type TicoOptions, tico, ticoCovarianceUpdate } from './tico.js';
export { type KoleoInputs, type KoleoOptions, koleo } from './koleo.js';
export { type SupConInputs, type SupConOptions, supcon } from './supcon.js';
export {
  type Data2VecLossInputs,
  type Data2VecLossOptions,
  type Data2VecNorm,
  type Data2VecTargetOptions,
  data2vecLoss,
  data2vecTargets,
} from './data2vec-loss.js';
