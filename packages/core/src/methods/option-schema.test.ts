import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { describeOptionType, type OptionSchema, optionValueOk, resolveOptions } from './option-schema.js';

const defaults = { temperature: 0.2, width: 16, flip: false, loss: 'bce', scale: [0.5, 1], name: '' };
const schema: OptionSchema<typeof defaults> = {
  temperature: { type: 'number', above: 0, description: 'temperature' },
  width: { type: 'integer', min: 1, max: 512, description: 'width' },
  flip: { type: 'boolean', description: 'flips' },
  loss: { type: 'enum', choices: ['bce', 'mse'], description: 'loss' },
  scale: { type: 'array', items: 'number', length: 2, min: 0, max: 1, description: 'crop area range' },
  name: { type: 'string', description: 'a name' },
};

describe('option schema', () => {
  it('spells each expectation as --help and errors show it', () => {
    expect(describeOptionType(schema.temperature)).toBe('number > 0');
    expect(describeOptionType(schema.width)).toBe('integer in [1, 512]');
    expect(describeOptionType(schema.loss)).toBe('one of bce, mse');
    expect(describeOptionType(schema.scale)).toBe('2 x number in [0, 1]');
    expect(describeOptionType({ type: 'array', items: 'integer', min: 1, description: '' })).toBe(
      'list of integer >= 1',
    );
    expect(describeOptionType({ type: 'number', min: 0, below: 1, description: '' })).toBe('number >= 0, < 1');
  });

  it('accepts values of the right type within bounds, refuses the others', () => {
    expect(optionValueOk(schema.temperature, 0.05)).toBe(true);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '0.2', true]) {
      expect(optionValueOk(schema.temperature, bad), String(bad)).toBe(false);
    }
    expect(optionValueOk(schema.width, 8)).toBe(true);
    for (const bad of [0, 8.5, 513]) expect(optionValueOk(schema.width, bad), String(bad)).toBe(false);
    expect(optionValueOk(schema.loss, 'mse')).toBe(true);
    expect(optionValueOk(schema.loss, 'l1')).toBe(false);
    expect(optionValueOk(schema.scale, [0.3, 1])).toBe(true);
    for (const bad of [[0.3], [0.3, 1, 1], [0.3, 2], ['a', 1], 0.3]) {
      expect(optionValueOk(schema.scale, bad), JSON.stringify(bad)).toBe(false);
    }
    expect(optionValueOk(schema.flip, 1)).toBe(false);
  });

  it('merges given options over the defaults; undefined keeps the default', () => {
    expect(resolveOptions('m', schema, defaults, { width: 32, flip: undefined })).toEqual({ ...defaults, width: 32 });
    expect(resolveOptions('m', schema, defaults, {})).toEqual(defaults);
  });

  it('an unknown or wrong option is one ConfigError line naming it and the expectation', () => {
    expect(() => resolveOptions("method 'm'", schema, defaults, { widht: 8 })).toThrow(
      "widht: unknown option 'widht' for method 'm'; known: temperature, width, flip, loss, scale, name",
    );
    expect(() => resolveOptions("method 'm'", schema, defaults, { toString: 1 })).toThrow(/unknown option 'toString'/);
    const err = (() => {
      try {
        resolveOptions("method 'm'", schema, defaults, { temperature: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('temperature');
    expect((err as Error).message).toBe("temperature: method 'm' expects number > 0, got 0");
    expect(() => resolveOptions("method 'm'", schema, defaults, { loss: 'l1' }, '--option')).toThrow(
      "--option: option 'loss' of method 'm' expects one of bce, mse, got \"l1\"",
    );
  });
});
