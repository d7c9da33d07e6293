export type { Objective } from './objective.js';
