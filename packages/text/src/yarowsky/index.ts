export { DecisionList, type DecisionListOptions, type Rule, trainDecisionList } from './decision-list.js';
export { collocations, findOccurrences, type Occurrence, type OccurrenceOptions, words } from './occurrences.js';
export {
  evaluatePseudoWord,
  type PseudoWordOptions,
  type PseudoWordResult,
  pseudoWordOccurrences,
} from './pseudo-words.js';
export { parseSeeds, readSeeds, type Seeds } from './seeds.js';
export { STOPWORDS } from './stopwords.js';
export { runYarowsky, yarowskyCommand } from './yarowsky-command.js';
export { seedLabels, type YarowskyIteration, type YarowskyOptions, type YarowskyResult, yarowsky } from './yarowsky.js';
