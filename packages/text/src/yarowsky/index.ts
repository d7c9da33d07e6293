export {
  DecisionList,
  type DecisionListOptions,
  decisionListFromCounts,
  type FeatureCounts,
  type Rule,
  trainDecisionList,
} from './decision-list.js';
export { collocations, findOccurrences, type Occurrence, type OccurrenceOptions, words } from './occurrences.js';
export {
  accuracyOffSeeds,
  drawSeeds,
  evaluateOccurrences,
  evaluatePseudoWord,
  type PseudoWordIteration,
  type PseudoWordOptions,
  type PseudoWordResult,
  pseudoWordOccurrences,
  seedDecisionList,
  traceAgainstGold,
} from './pseudo-words.js';
export { parseSeeds, readSeeds, type Seeds } from './seeds.js';
export { STOPWORDS } from './stopwords.js';
export { runYarowsky, yarowskyCommand } from './yarowsky-command.js';
export {
  classify,
  seedLabels,
  trainOnLabels,
  type YarowskyIteration,
  type YarowskyOptions,
  type YarowskyResult,
  yarowsky,
} from './yarowsky.js';
