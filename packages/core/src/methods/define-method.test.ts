import type * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { defineMethod, methodRegistry } from './define-method.js';
import { optionDefaults, optionSchema, type OptionTable } from './option-schema.js';
import type { Method } from './method.js';

const options = {
  width: { type: 'integer', default: 4, min: 1, description: 'width' },
  temperature: { type: 'number', default: 0.5, above: 0, description: 'temperature' },
} satisfies OptionTable;
const defaults = { width: 4, temperature: 0.5 };

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
    options,
    trainerDefaults: { batchSize: 8 },
    minBatchSize: { size: 2, reason: 'contrast' },
    create: ({ options }) => fake(options),
  });

  it('is data: name, summary, defaults and schema as registries and the CLI read them', () => {
    expect(def).toMatchObject({ name: 'toy', modality: 'test', summary: 'a toy method', description: 'a toy method' });
    expect(def.defaults).toEqual(defaults);
    expect(def.schema).toEqual({
      width: { type: 'integer', min: 1, description: 'width' },
      temperature: { type: 'number', above: 0, description: 'temperature' },
    });
    expect(Object.keys(def.schema)).toEqual(['width', 'temperature']);
    expect(def.minBatchSize?.size).toBe(2);
  });

  it('a table splits into the defaults and the schema, in its order', () => {
    const table = {
      ...options,
      depth: { type: 'integer', default: 2, min: 0, description: 'depth' },
    } satisfies OptionTable;
    expect(optionDefaults(table)).toEqual({ width: 4, temperature: 0.5, depth: 2 });
    expect(Object.keys(optionDefaults(table))).toEqual(['width', 'temperature', 'depth']);
    expect(optionSchema(table).depth).toEqual({ type: 'integer', min: 0, description: 'depth' });
    expect(Object.keys(optionSchema(table))).toEqual(['width', 'temperature', 'depth']);
  });

  it('resolve is what a constructor runs: given options checked and merged over the defaults', () => {
    const resolved = def.resolve({ temperature: 0.1 });
    expect(resolved).toEqual({ width: 4, temperature: 0.1 });
    expect(resolved.width + resolved.temperature).toBeCloseTo(4.1);
    expect(def.resolve({})).toEqual(defaults);
    expect(def.resolve({})).not.toBe(def.defaults);
    expect(() => def.resolve({ temperature: 0 })).toThrow("temperature: method 'toy' expects number > 0, got 0");
  });

  it('create gets options checked and merged over the defaults', () => {
    def.create({ sampleShape: [2], options: { width: 8 }, rng: new Rng(0) });
    expect(received).toEqual({ width: 8, temperature: 0.5 });
    expect(() => def.create({ sampleShape: [2], options: { width: 0 }, rng: new Rng(0) })).toThrow(
      "width: method 'toy' expects integer >= 1, got 0",
    );
    expect(() => def.resolve({ temprature: 1 }, '--option')).toThrow(
      "--option: unknown option 'temprature' for method 'toy'; known: width, temperature",
    );
  });

  it('refuses a default outside its own bounds when the method is defined', () => {
    const base = { name: 'bad', modality: 'test', summary: '', trainerDefaults: {}, create: () => fake({}) };
    expect(() => defineMethod({ ...base, options: { width: { ...options.width, default: 0 } } })).toThrow(
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
