/**
 * Messages between the studio page and its training worker (plain data, structured-cloned).
 */

/** A method as the registry defines it, for the page's form. */
export interface MethodInfo {
  name: string;
  description: string;
  defaultOptions: Record<string, unknown>;
  batchSize: number;
  lr: number;
  optimizer: string;
  minBatchSize: number;
}

/** What to train: the decoded images and the settings chosen on the page. */
export interface TrainRequest {
  type: 'train';
  /** `[n, size, size, channels]` bytes. */
  pixels: Uint8Array;
  shape: [number, number, number];
  method: string;
  /** Options over the method's defaults. */
  options: Record<string, unknown>;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Where checkpoints go in IndexedDB (the Trainer's checkpointDir). */
  checkpointDir: string;
  checkpointEvery: number;
  /** Fresh run (drop the checkpoint) instead of resuming. */
  startOver: boolean;
}

/** Page -> worker. */
export type ToWorker =
  | { type: 'init'; backend: 'auto' | 'webgl' | 'cpu' }
  | TrainRequest
  | { type: 'stop' }
  | { type: 'probe'; labels: Int32Array; bank: boolean[]; k: number }
  | { type: 'export' };

/** Worker -> page. */
export type FromWorker =
  | { type: 'ready'; backend: string; methods: MethodInfo[] }
  | { type: 'start'; totalSteps: number; startStep: number; resumedFrom?: string }
  | { type: 'step'; step: number; loss: number; lr: number; stdRatio?: number; stepsPerSec: number }
  | { type: 'done'; steps: number; stopped: boolean; embeddings: number[][] }
  | {
      type: 'probe';
      accuracy: number;
      nBank: number;
      nQuery: number;
      k: number;
      chance: number;
      predictions: number[];
    }
  | { type: 'export'; modelJson: string; weights: ArrayBuffer }
  | { type: 'error'; message: string };
