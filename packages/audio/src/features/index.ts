export { LogMel, type LogMelOptions, logMelOptions, logMelStats, melFilterbank, numFrames } from './log-mel.js';
