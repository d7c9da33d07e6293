import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError, env, initBackend, Rng, readBatch } from '@autodidact/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeTokenizer } from './data/active-tokenizer.js';
import { modality } from './modality.js';

const dataDir = env.dataDir ?? join(import.meta.dirname, '../../../data');

describe('text modality', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('trains a tokenizer on the corpus, windows it, builds both methods and restores an encoder with its tokenizer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'text-mod-'));
    const corpus = Array.from(
      { length: 300 },
      (_, i) => `Line ${i}: the committee reported on the ${i % 7 ? 'budget' : 'navy'} again.`,
    ).join('\n');
    await writeFile(join(dir, 'a.txt'), corpus);
    const ds = await modality.loadUnlabeled(dir, {});
    expect(ds.sampleShape).toEqual([128]);
    const t = activeTokenizer()!;
    expect(
      t.tokenizer
        .decode([...((await readBatch(ds, [0])).dataSync() as Int32Array)])
        .startsWith('Line 0: the committee'),
    ).toBe(true);
    for (const name of ['mlm', 'clm']) {
      const spec = modality.methods.get(name);
      const m = spec.create({
        sampleShape: [128],
        options: { ...spec.defaults, dim: 16, heads: 2, layers: 1 },
        rng: new Rng(0),
      });
      const emb = m.embed(await readBatch(ds, [0, 1]));
      expect(emb.shape).toEqual([2, 16]);
      emb.dispose();
      const restored = modality.createEncoder(m.encoder.config, new Rng(1));
      expect([...restored.trainableVariables().keys()]).toEqual([...m.encoder.trainableVariables().keys()]);
      restored.dispose();
      m.dispose();
    }
    ds.dispose?.();
  });

  it('feeds SimCSE with adjacent positives samples of two windows; its encoder and labelled loads read one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'text-adj-'));
    const corpus = Array.from({ length: 300 }, (_, i) => `Line ${i}: the ${i % 3 ? 'tariff' : 'army'} bill.`).join(
      '\n',
    );
    await mkdir(join(dir, 'corpus'));
    await writeFile(join(dir, 'corpus', 'a.txt'), corpus);
    for (const c of ['army', 'tariff']) {
      await mkdir(join(dir, 'labelled', c), { recursive: true });
      await writeFile(join(dir, 'labelled', c, '0.txt'), `the ${c} bill `.repeat(40));
    }
    const ds = await modality.loadUnlabeled(join(dir, 'corpus'), {});
    const spec = modality.methods.get('simcse');
    const m = spec.create({
      sampleShape: [...ds.sampleShape!],
      options: { dim: 16, heads: 2, layers: 1, positives: 'adjacent' },
      rng: new Rng(0),
    });
    expect(m.encoder.config.inputShape).toEqual([64]);
    const batch = await readBatch(ds, [0, 1, 2, 3]);
    expect(batch.shape).toEqual([4, 128]);
    const out = m.computeLoss(batch, { step: 0, totalSteps: 1, epoch: 0, rng: new Rng(1) });
    expect(Number.isFinite(out.loss.dataSync()[0])).toBe(true);
    const labelled = await modality.loadLabeled(join(dir, 'labelled'), { encoder: m.encoder.config });
    expect(labelled.sampleShape).toEqual([64]);
    const emb = m.embed(await readBatch(labelled, [0, 1]));
    expect(emb.shape).toEqual([2, 16]);
    for (const t of [batch, out.loss, emb, ...Object.values(out.metrics ?? {})]) t.dispose();
    m.dispose();
    ds.dispose?.();
  });

  it('loads class folders and JSONL with labels; rejects records without text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'text-lab-'));
    for (const c of ['ham', 'spam']) {
      await mkdir(join(dir, 'folders', c), { recursive: true });
      for (let i = 0; i < 3; i++) await writeFile(join(dir, 'folders', c, `${i}.txt`), `${c} message ${i}`);
    }
    const f = await modality.loadLabeled(join(dir, 'folders'));
    expect(f.size).toBe(6);
    expect(f.classNames).toEqual(['ham', 'spam']);
    expect([...f.labels!]).toEqual([0, 1, 0, 1, 0, 1]);
    await writeFile(join(dir, 'x.jsonl'), '{"text": "good", "label": "pos"}\n{"text": "bad", "label": "neg"}\n');
    const j = await modality.loadLabeled(join(dir, 'x.jsonl'));
    expect(j.classNames).toEqual(['neg', 'pos']);
    expect([...j.labels!]).toEqual([1, 0]);
    await writeFile(join(dir, 'y.jsonl'), '{"label": "pos"}\n');
    await expect(modality.loadLabeled(join(dir, 'y.jsonl'))).rejects.toThrow(/y\.jsonl: line 1/);
    await expect(modality.loadLabeled(join(dir, 'missing'))).rejects.toThrow(DataFormatError);
  });

  it.skipIf(!existsSync(join(dataDir, 'sotu')))(
    'default data: SOTU speeches by party, every fourth held out',
    async () => {
      const d = await modality.defaultData!();
      const test = await modality.loadLabeled(d.test);
      expect(test.classNames).toEqual(['democrat', 'republican']);
      expect(test.size).toBe(Math.floor((90 + 92) / 4));
    },
  );
});
