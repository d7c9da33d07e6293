/**
 * The CLI built from data: each modality's declared loader options become flags of pretrain,
 * embed, probe and finetune (and are checked against their declaration), `pretrain <modality>
 * --help` lists the modality's methods with their option schemas (keys, types, bounds, defaults,
 * meanings), and `--option` values are checked against the method's own schema only. Modalities are loaded at run
 * time through `main`, as for a user.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadModality } from './load-modality.js';
import { checkLoaderValue, loaderFlag, resolveLoaderOptions } from './loader-options.js';
import type { LoaderOptionSpec } from './modality.js';
import { defineMethod } from '../methods/define-method.js';
import { describeOptionType } from '../methods/option-schema.js';
import { parseKeyValues } from './parse-options.js';
import { runCli } from '../test-support/run-cli.js';

afterEach(() => vi.restoreAllMocks());

const window: LoaderOptionSpec = {
  name: 'window',
  type: 'integer',
  min: 1,
  words: ['read'],
  default: 1024,
  description: 'bases per sample',
};
const channels: LoaderOptionSpec = { name: 'channels', type: 'integer', choices: [1, 3], description: 'channels' };

describe('loader options as data', () => {
  it('flags, values and bounds come from the declaration', () => {
    expect(loaderFlag({ ...window, name: 'readLength' })).toBe('--read-length');
    expect(checkLoaderValue(window, '150')).toBe(150);
    expect(checkLoaderValue(window, 'read')).toBe('read');
    expect(() => checkLoaderValue(window, '0')).toThrow(/--window: expected a value >= 1 or 'read', got '0'/);
    expect(() => checkLoaderValue(window, '1.5')).toThrow(/--window: expected an integer or 'read'/);
    expect(() => checkLoaderValue(window, 'reads')).toThrow(ConfigError);
    expect(checkLoaderValue(channels, '3')).toBe(3);
    expect(() => checkLoaderValue(channels, '2')).toThrow(/--channels: expected one of 1, 3, got '2'/);
  });

  it('a flag wins over the value saved with the encoder, which wins over the default', () => {
    const specs = [window, channels];
    expect(resolveLoaderOptions(specs, {}, undefined)).toEqual({ values: { window: 1024 }, fromEncoder: [] });
    expect(resolveLoaderOptions(specs, {}, { window: 150, channels: 1 })).toEqual({
      values: { window: 150, channels: 1 },
      fromEncoder: ['window', 'channels'],
    });
    expect(resolveLoaderOptions(specs, { window: '300' }, { window: 150 }).values).toEqual({ window: 300 });
    // a saved value that no longer passes the declaration falls back to the default
    expect(resolveLoaderOptions(specs, {}, { window: -4 }).values).toEqual({ window: 1024 });
  });
});

describe("--option names are the method's own keys only", () => {
  it("parseKeyValues keeps __proto__ as a plain key; the method's schema refuses inherited names", () => {
    const given = parseKeyValues(['__proto__={"polluted":1}', 'temperature=0.5']);
    expect(Object.keys(given)).toEqual(['__proto__', 'temperature']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const m = defineMethod({
      name: 'm',
      modality: 'test',
      summary: 'a test method',
      options: {
        temperature: { type: 'number', default: 0.2, above: 0, description: 'temperature' },
        width: { type: 'integer', default: 16, min: 1, description: 'width' },
      },
      trainerDefaults: {},
      create: () => {
        throw new Error('not built in this test');
      },
    });
    for (const key of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      expect(() => m.resolve(parseKeyValues([`${key}=1`]), '--option')).toThrow(
        `--option: unknown option '${key}' for method 'm'; known: temperature, width`,
      );
    }
    expect(() => m.resolve(given, '--option')).toThrow(/unknown option '__proto__'/);
    expect(m.resolve(parseKeyValues(['width=8']), '--option')).toEqual({ temperature: 0.2, width: 8 });
    expect(() => m.resolve(parseKeyValues(['width=0']), '--option')).toThrow(
      "--option: option 'width' of method 'm' expects integer >= 1, got 0",
    );
  });

  it('through the CLI: each is a usage error naming the valid keys, before any data is read', async () => {
    for (const key of ['__proto__', 'toString', 'constructor']) {
      const r = await runCli([
        'pretrain',
        'vision',
        '--method',
        'simclr',
        '--data',
        '/no/such/data',
        '--option',
        `${key}=1`,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `autodidact: error: --option: unknown option '${key}' for method 'simclr'; known: encoder, width, .*temperature`,
        ),
      );
      expect(r.stderr).not.toMatch(/no such file/);
    }
  });
});

describe('pretrain <modality> --help', () => {
  const cases: [string, string[], string[]][] = [
    ['vision', ['simclr', 'byol', 'mae', 'context'], ['--image-size <px>', '--channels <1|3>']],
    ['audio', ['wav2vec2', 'wav2vec', 'cpc'], ['--sample-rate <hz>', '--clip-seconds <s>']],
    ['text', ['mlm', 'clm'], ['--context-length <tokens>', '--vocab-size <n>', '--tokenizer <file>']],
    ['genomics', ['self-genomenet', 'cpc', 'mlm'], ['--window <bases|read>', '--stride <bases>', '--read-length']],
    ['multimodal', ['clip'], ['--image-size <px>', '--channels <1|3>', '--sample-rate <hz>', '--clip-seconds <s>']],
  ];
  for (const [name, methodNames, flags] of cases) {
    it(`${name}: every method with its --option keys, types and defaults, and the data flags`, async () => {
      const r = await runCli(['pretrain', name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Methods of ${name}`);
      for (const flag of flags) expect(r.stdout).toContain(flag);
      const modality = await loadModality(name);
      for (const m of modality.methods.list()) {
        const at = r.stdout.indexOf(`\n  ${m.name} `);
        expect(at, m.name).toBeGreaterThan(0);
        const rest = r.stdout.slice(at + 1);
        const next = rest.search(/\n {2}\S/);
        const section = next < 0 ? rest : rest.slice(0, next);
        for (const [key, spec] of Object.entries(m.schema)) {
          const line = section.split('\n').find((l) => l.trim().startsWith(`${key} `));
          expect(line, `${m.name}.${key}`).toBeDefined();
          expect(line).toContain(describeOptionType(spec));
          expect(line).toContain(`= ${JSON.stringify(m.defaults[key])}`);
          expect(line).toContain(spec.description);
        }
      }
      for (const m of methodNames) expect(r.stdout).toMatch(new RegExp(`\\n  ${m} +\\S`));
    });
  }

  it("without a modality, points to pretrain <modality> --help and lists each modality's data flags", async () => {
    const r = await runCli(['pretrain', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Run 'autodidact pretrain <modality> --help'");
    expect(r.stdout).toMatch(/vision +--image-size <px>, --channels <1\|3>/);
    expect(r.stdout).toMatch(/genomics +--window <bases\|read>/);
    const e = await runCli(['embed', '--help']);
    expect(e.stdout).toMatch(/audio +--sample-rate <hz>, --clip-seconds <s>/);
  });

  it('the data flags are on finetune too, and on embed and probe once the checkpoint names its modality', async () => {
    const f = await runCli(['finetune', 'genomics', '--help']);
    expect(f.code).toBe(0);
    expect(f.stdout).toContain('Data options of genomics:');
    expect(f.stdout).toContain('--window <bases|read>');
    const p = await runCli(['probe', '/no/such/run', '--help']);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/text +--context-length <tokens>, --vocab-size <n>, --tokenizer <file>/);
  });

  it('a bad data flag is a usage error naming the flag', async () => {
    const r = await runCli(['pretrain', 'genomics', '--method', 'cpc', '--data', '/no/such', '--window', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      "autodidact: error: --window: expected a value >= 1 or 'read', got '0'",
    );
    const v = await runCli(['pretrain', 'vision', '--method', 'simclr', '--data', '/no/such', '--channels', '2']);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/--channels: expected one of 1, 3, got '2'/);
    // another modality's flag is unknown to this one
    const a = await runCli(['pretrain', 'audio', '--method', 'cpc', '--data', '/no/such', '--image-size', '64']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown option '--image-size'/);
  });
});
