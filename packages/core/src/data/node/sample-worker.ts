/**
 * Entry of a data worker (`node:worker_threads`): builds the reader named by `workerData.spec`,
 * then answers `read` requests one at a time with transferable typed arrays. Imports no tfjs,
 * so a worker costs a reader's memory, not a tensor library's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readSamples, type SkipRecord } from '../read-samples.js';
import { allocSamples, instantiateReader, type SampleReader } from '../sample-reader.js';
import { type FromWorker, type ToWorker, toWire, type WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('sample-worker.ts runs as a worker thread only');
const init = workerData as WorkerInit;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let reader: SampleReader | undefined;
try {
  reader = await instantiateReader(init.spec);
  post({ type: 'ready', size: reader.size, layout: { shape: [...reader.layout.shape], dtype: reader.layout.dtype } });
} catch (err) {
  post({ type: 'init-failed', error: toWire(err) });
}

const known = new Map<number, SkipRecord>();
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain.then(() => handle(m));
});

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'close') {
    try {
      await reader?.close?.();
    } finally {
      post({ type: 'closed' });
      port!.close();
    }
    return;
  }
  if (!reader) return;
  try {
    const data = allocSamples(reader.layout, m.indices.length);
    const { used, skips } = await readSamples(reader, m.indices, m.seeds ?? undefined, data, init.policy, known);
    post({ type: 'done', id: m.id, data, used, skips }, [data.buffer as ArrayBuffer, used.buffer as ArrayBuffer]);
  } catch (err) {
    post({ type: 'failed', id: m.id, error: toWire(err) });
  }
}
