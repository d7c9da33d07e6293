/** Messages between the studio page and its training worker (structured-clone safe). */

/** What the page may train on: images (decoded on the page), WAV clips or texts (decoded in the worker). */
export type StudioModality = 'image' | 'audio' | 'text';

/** A method as the registry describes it (what `autodidact methods` prints). */
export interface MethodInfo {
  name: string;
  description: string;
  defaultOptions: Record<string, unknown>;
  batchSize: number;
  lr: number;
  optimizer: string;
  minBatchSize: number;
}

/** A dropped file's bytes, for the worker to decode (WAV, text). */
export interface RawFile {
  path: string;
  bytes: ArrayBuffer;
}

/** How audio and text files become samples (the CLI's loader options of the same names). */
export interface LoaderSettings {
  /** Audio: resample every file to this rate (Hz). */
  sampleRate: number;
  /** Audio: clip length; longer files are centre-cropped, shorter ones zero-padded. */
  clipSeconds: number;
  /** Text: tokens per sample; each file is cut into windows of this length. */
  contextLength: number;
  /** Text: vocabulary of the byte-level BPE trained on the dropped texts. */
  vocabSize: number;
  /** Text: at most this many windows per file. */
  windowsPerFile: number;
}

/** What to train: the data, the method and the settings chosen on the page. */
export interface TrainRequest {
  type: 'train';
  modality: StudioModality;
  /** Images: `[n, size, size, channels]` bytes; audio and text use the worker's loaded samples. */
  pixels?: Uint8Array;
  /** Images: `[size, size, channels]`. */
  shape?: [number, number, number];
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
  /** Recompute the embedding map every this many steps (0: only at the end). */
  mapEvery: number;
  /** Fresh run (drop the checkpoint) instead of resuming. */
  startOver: boolean;
}

/** Page -> worker. */
export type ToWorker =
  | { type: 'init'; backend: 'auto' | 'webgl' | 'cpu' }
  | { type: 'load'; modality: 'audio' | 'text'; files: RawFile[]; settings: LoaderSettings }
  | TrainRequest
  | { type: 'stop' }
  | { type: 'probe'; labels: Int32Array; bank: boolean[]; k: number }
  | { type: 'export'; format: 'tfjs' | 'onnx' };

/** Worker -> page. */
export type FromWorker =
  | {
      type: 'ready';
      backend: string;
      /** Backends tried before the one in use, each with why it was not used. */
      notes: string[];
      methods: Record<StudioModality, MethodInfo[]>;
    }
  | {
      type: 'loaded';
      modality: 'audio' | 'text';
      /** Per sample: the index of its file in the request. */
      fileOf: Int32Array;
      sampleShape: number[];
      /** Per file that yielded no sample: path and reason. */
      skipped: string[];
      /** What the loader did (rate, clip, vocabulary), for the page. */
      summary: string;
      /** Per sample: a short preview (text: its first characters; audio: seconds of sound). */
      previews: string[];
    }
  | { type: 'start'; totalSteps: number; startStep: number; resumedFrom?: string }
  | { type: 'step'; step: number; loss: number; lr: number; stdRatio?: number; stepsPerSec: number }
  | {
      type: 'map';
      step: number;
      /** UMAP coordinates `[n, 2]` row-major of the first n samples. */
      points: Float64Array;
      millis: number;
    }
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
  | { type: 'export'; format: 'tfjs'; modelJson: string; weights: ArrayBuffer }
  | { type: 'export'; format: 'onnx'; onnx: ArrayBuffer }
  | { type: 'error'; message: string };
