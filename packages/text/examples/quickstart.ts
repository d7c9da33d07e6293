// Quick start, text: train a byte-level BPE on State of the Union speeches, pretrain a masked LM
// on them, then probe the party of held-out speeches (Democrat vs Republican; the mean embedding
// of each speech's first windows) with the pretrained encoder and with a random-init one.
// At this CPU budget MLM does not yet beat the random encoder on the party probe (see the package
// README's Results); pass a larger step count to train longer.
//   node --conditions=source --import tsx packages/text/examples/quickstart.ts [steps]
import { initBackend, knnProbe, linearProbe, Rng, Trainer } from '@autodidact/core';
import {
  corpusWindows,
  listCorpusFiles,
  methods,
  modality,
  setActiveTokenizer,
  sotuPartySplit,
  tokenizerForCorpus,
} from '@autodidact/text';
import * as tf from '@tensorflow/tfjs';

await initBackend();
const split = await sotuPartySplit().catch((e: Error) => {
  console.error(`${e.message}`); // names the one fetch command: npx autodidact data fetch sotu
  process.exit(1);
});
const tok = await tokenizerForCorpus([split.train], { vocabSize: 2048 }); // trained once, then cached
setActiveTokenizer(tok);
const windows = { contextLength: 64, eosId: tok.eosId, padId: tok.padId };
const train = await corpusWindows([split.train], tok.tokenizer, windows); // [n, 64] token ids

// Per speech: its first 16 windows, and the label from its folder (democrat 0, republican 1).
async function speeches(root: string) {
  const files = await listCorpusFiles([root]);
  const sets = await Promise.all(files.map((f) => corpusWindows([f], tok.tokenizer, { ...windows, limit: 16 })));
  return { sets, labels: Int32Array.from(files.map((f) => (f.includes('/republican/') ? 1 : 0))) };
}
const [trainS, testS] = [await speeches(split.train), await speeches(split.test)];
async function probe(embed: (x: tf.Tensor) => tf.Tensor2D) {
  const mean = (s: typeof trainS) =>
    tf.tidy(() => tf.stack(s.sets.map((d) => tf.mean(embed(d.inputs), 0))) as tf.Tensor2D);
  const data = { trainX: mean(trainS), trainY: trainS.labels, testX: mean(testS), testY: testS.labels };
  const r = { linear: (await linearProbe(data)).accuracy, knn: knnProbe({ ...data, k: 5 }).accuracy };
  tf.dispose([data.trainX, data.testX]);
  return r;
}

const spec = methods.get('mlm');
const method = spec.create({ sampleShape: [64], options: { dim: 64, heads: 2 }, rng: new Rng(0) });
const random = modality.createEncoder(method.encoder.config, new Rng(1));
const before = await probe((x) => random.apply(x, false));

const steps = Number(process.argv[2] ?? 300);
const result = await new Trainer(method, { ...spec.trainerDefaults, batchSize: 16, steps, seed: 0, logEvery: 25 }).fit(
  train,
);
const after = await probe((x) => method.embed(x));

const h = result.lossHistory;
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
console.log(`\nMLM loss ${h[0]!.toFixed(3)} -> ${h[h.length - 1]!.toFixed(3)} over ${steps} steps`);
console.log(
  `party of ${testS.labels.length} held-out speeches (majority class ${pct(Math.max(...[0, 1].map((c) => testS.labels.filter((y) => y === c).length)) / testS.labels.length)}):`,
);
console.log(`random-init encoder: linear ${pct(before.linear)}, kNN ${pct(before.knn)}`);
console.log(`MLM encoder:         linear ${pct(after.linear)}, kNN ${pct(after.knn)}`);
random.dispose();
method.dispose();
