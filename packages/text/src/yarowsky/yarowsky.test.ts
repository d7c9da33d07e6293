import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataFormatError, Rng } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { trainDecisionList } from './decision-list.js';
import { collocations, type Occurrence } from './occurrences.js';
import { evaluatePseudoWord } from './pseudo-words.js';
import { parseSeeds } from './seeds.js';
import { runYarowsky } from './yarowsky-command.js';
import { seedLabels, yarowsky } from './yarowsky.js';

describe('decision list', () => {
  it('scores log((c_best + a) / (c_rest + a)) and ranks strongest first', () => {
    const ex = [
      ...Array.from({ length: 9 }, () => ({ features: ['W:life', 'L1:the'], sense: 0 })),
      { features: ['W:life', 'L1:the'], sense: 1 },
      ...Array.from({ length: 4 }, () => ({ features: ['W:manufacturing', 'L1:the'], sense: 1 })),
    ];
    const dl = trainDecisionList(ex, 2, { alpha: 0.1, minCount: 2 });
    const life = dl.rules.find((r) => r.feature === 'W:life')!;
    expect(life.sense).toBe(0);
    expect(life.logLikelihood).toBeCloseTo(Math.log(9.1 / 1.1), 12);
    const manu = dl.rules.find((r) => r.feature === 'W:manufacturing')!;
    expect(manu.logLikelihood).toBeCloseTo(Math.log(4.1 / 0.1), 12);
    // the: 9 vs 5 -> sense 0, ln(9.1/5.1)
    expect(dl.rules.map((r) => r.feature)).toEqual(['W:manufacturing', 'W:life', 'L1:the']);
    expect(dl.match(['L1:the', 'W:life'])!.feature).toBe('W:life');
  });

  it('collocation features: neighbours, pairs and a window without function words', () => {
    const w = 'the new power plant will open in the city'.split(' ');
    const f = collocations(w, 3, 3);
    expect(f).toEqual(
      expect.arrayContaining([
        'L1:power',
        'R1:will',
        'L2L1:new_power',
        'L1R1:power_will',
        'R1R2:will_open',
        'W:new',
        'W:open',
        'W:power',
      ]),
    );
    expect(f).not.toContain('W:the');
    expect(f).not.toContain('W:plant');
  });
});

describe('bootstrapping', () => {
  const occ = (doc: number, ...features: string[]): Occurrence => ({ doc, features, context: '', surface: 'x' });

  it('spreads from seeds through collocations and one sense per discourse, seeds fixed', () => {
    const o: Occurrence[] = [];
    // Sense 0 documents: seed word "life", then "leaf" co-occurs with it; sense 1: "factory", "steel".
    for (let d = 0; d < 6; d++) {
      o.push(occ(d, 'W:life', 'W:leaf'), occ(d, 'W:leaf', 'W:green'), occ(d, 'W:green'), occ(d, 'W:other'));
      o.push(
        occ(10 + d, 'W:manufacturing', 'W:steel'),
        occ(10 + d, 'W:steel', 'W:worker'),
        occ(10 + d, 'W:worker'),
        occ(10 + d, 'W:other'),
      );
    }
    const seed = seedLabels(o, [['W:life'], ['W:manufacturing']]);
    expect([...seed].filter((s) => s >= 0)).toHaveLength(12);
    const r = yarowsky(o, seed, 2, { threshold: 1 });
    const want = o.map((x) => (x.doc < 10 ? 0 : 1));
    expect([...r.labels]).toEqual(want);
    expect(r.iterations.at(-1)!.labelled).toBe(o.length);
    // Without the discourse step, 'W:other' (in both senses' documents) stays undecided by rules.
    const plain = yarowsky(o, seed, 2, { threshold: 1, oneSensePerDiscourse: false });
    expect(plain.iterations.at(-1)!.labelled).toBeLessThan(o.length);
  });

  it('pseudo-words: recovers the merged words of distinct topics better than the most frequent sense', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pseudo-'));
    const rng = new Rng(0);
    const sea = 'ocean waves sailor harpoon deck storm voyage crew mast'.split(' ');
    const tax = 'revenue income congress treasury rates budget levy citizens duty'.split(' ');
    const pick = (a: string[]) => a[rng.int(a.length)]!;
    for (let d = 0; d < 12; d++) {
      const lines: string[] = [];
      for (let i = 0; i < 20; i++) {
        if (d < 4) lines.push(`the ${pick(sea)} and the whale by the ${pick(sea)} ${pick(sea)}`);
        else lines.push(`a ${pick(tax)} on the tax for ${pick(tax)} ${pick(tax)}`);
      }
      await writeFile(join(dir, `doc${d}.txt`), lines.join('\n'));
    }
    const r = await evaluatePseudoWord([dir], ['whale', 'tax'], new Rng(1), { seedsPerSense: 3 });
    expect(r.counts).toEqual([80, 160]);
    expect(r.evaluated).toBe(234);
    expect(r.mostFrequentSense).toBeCloseTo(157 / 234, 10);
    expect(r.accuracy).toBeGreaterThan(0.95);
  });
});

describe('seeds and the command', () => {
  it('parses seed files and rejects a single sense', () => {
    expect(parseSeeds('# plant\nliving life\nfactory manufacturing R1:closed\n')).toEqual({
      senses: ['living', 'factory'],
      features: [['W:life'], ['W:manufacturing', 'R1:closed']],
    });
    expect(() => parseSeeds('living life\n', 's.txt')).toThrow(DataFormatError);
  });

  it('runs on a corpus and prints iterations, rules and examples; bad flags are ConfigErrors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yarowsky-'));
    await writeFile(join(dir, 'a.txt'), 'plant life grows in the soil\nthe plant has green leaves and life\n');
    await writeFile(join(dir, 'b.txt'), 'the manufacturing plant closed\nworkers at the plant in manufacturing\n');
    await writeFile(join(dir, 'seeds.txt'), 'living life\nfactory manufacturing\n');
    const lines: string[] = [];
    await runYarowsky(
      [
        '--corpus',
        join(dir, 'a.txt'),
        join(dir, 'b.txt'),
        '--word',
        'plant',
        '--seeds',
        join(dir, 'seeds.txt'),
        '--json',
      ],
      (l) => lines.push(l),
    );
    const out = JSON.parse(lines[0]!);
    expect(out.occurrences).toBe(4);
    expect(out.perSense).toEqual([2, 2]);
    await expect(runYarowsky(['--word', 'plant'], () => {})).rejects.toThrow(ConfigError);
    await expect(
      runYarowsky(['--corpus', dir, '--word', 'zebra', '--seeds', join(dir, 'seeds.txt')], () => {}),
    ).rejects.toThrow(/does not occur/);
  });
});
