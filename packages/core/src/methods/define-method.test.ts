import type * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { defineMethod, methodRegistry } from './define-method.js';
import type { Method } from './method.js';

const defaults = { width: 4, temperature: 0.5 };
const schema = {
  width: { type: 'integer', min: 1, description: 'width' },
  temperature: { type: 'number', above: 0, description: 'temperature' },
} as const;

/** The options `create` received, to check what the definition hands over. */
let received: unknown;
const fake = (options: unknown) => {
  received = options;
  return {} as Method<tf.Tensor>;
};

describe('defineMethod', () => {
  const def = defineMethod({
    name: 'toy',
    modality: 'test',
    summary: 'a toy method',
    defaults,
    schema,
    trainerDefaults: { batchSize: 8 },
    minBatchSize: { size: 2, reason: 'contrast' },
    create: ({ options }) => fake(options),
  });

  it('is data: name, summary, defaults and schema as registries and the CLI read them', () => {
    expect(def).toMatchObject({ name: 'toy', modality: 'test', summary: 'a toy method', description: 'a toy method' });
    expect(def.defaults).toEqual(defaults);
    expect(Object.keys(def.schema)).toEqual(['width', 'temperature']);
    expect(def.minBatchSize?.size).toBe(2);
  });

  it('create gets options checked and merged over the defaults', () => {
    def.create({ sampleShape: [2], options: { width: 8 }, rng: new Rng(0) });
    expect(received).toEqual({ width: 8, temperature: 0.5 });
    expect(() => def.create({ sampleShape: [2], options: { width: 0 }, rng: new Rng(0) })).toThrow(
      "width: method 'toy' expects integer >= 1, got 0",
    );
    expect(() => def.resolveOptions({ temprature: 1 }, '--option')).toThrow(
      "--option: unknown option 'temprature' for method 'toy'; known: width, temperature",
    );
  });

  it('refuses a schema that misses a default, and defaults outside their own bounds', () => {
    const base = { name: 'bad', modality: 'test', summary: '', trainerDefaults: {}, create: () => fake({}) };
    expect(() =>
      defineMethod({ ...base, defaults: { width: 4, depth: 2 }, schema: { width: schema.width } as never }),
    ).toThrow(/not in the schema: depth/);
    expect(() => defineMethod({ ...base, defaults: { width: 0 }, schema: { width: schema.width } })).toThrow(
      /expects integer >= 1, got 0/,
    );
  });

  it('a registry is a list of definitions; unknown names list the known ones', () => {
    const registry = methodRegistry('test method', [def]);
    expect(registry.names()).toEqual(['toy']);
    expect(() => registry.get('nope')).toThrow("unknown test method 'nope'; known: toy");
    expect(() => methodRegistry('test method', [def, def])).toThrow(/already registered/);
  });
});
