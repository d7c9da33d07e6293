export {
  classPrototypes,
  nearestPrototype,
  type RetrievalScores,
  retrieval,
  zeroShotAccuracy,
} from './zero-shot.js';
