/**
 * Fuzzing the command line: random flag values and random argument vectors built from the real
 * flags plus garbage. Every input must end as a typed ConfigError (parsers) or an exit code with
 * one error line (main), never an exception or an "internal error" with a stack trace.
 * Nothing here can start training: --data always names a path that does not exist.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors.js';
import { main } from './main.js';
import { parseIntFlag, parseKeyValues, parseNumberFlag } from './parse-options.js';

const RUNS = 400;
const work = mkdtempSync(join(tmpdir(), 'autodidact-cli-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs f; a thrown error must be a ConfigError naming the field. */
function typedOrOk(f: () => unknown, field: string): void {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  }
}

describe('CLI input fuzzing', () => {
  it(`integer and number flags: ${RUNS * 2} random strings`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer().map(String), fc.double().map(String)), (s) => {
        typedOrOk(() => {
          const n = parseIntFlag('--steps', s, 1);
          expect(Number.isInteger(n) && (n as number) >= 1).toBe(true);
        }, '--steps');
        typedOrOk(() => {
          const x = parseNumberFlag('--lr', s);
          expect(Number.isFinite(x) && (x as number) > 0).toBe(true);
        }, '--lr');
      }),
      { numRuns: RUNS },
    );
  });

  it(`--option key=value lists: ${RUNS} random lists`, () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.tuple(fc.string(), fc.json()).map(([k, v]) => `${k}=${v}`),
          ),
        ),
        (pairs) => {
          typedOrOk(() => {
            const out = parseKeyValues(pairs);
            for (const p of pairs) expect(Object.hasOwn(out, p.slice(0, p.indexOf('=')))).toBe(true);
          }, '--option');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('random argument vectors exit 0/1/2 with one error line, never a crash (150 vectors)', async () => {
    const flags = [
      '--method',
      '--steps',
      '--epochs',
      '--batch-size',
      '--lr',
      '--optimizer',
      '--seed',
      '--limit',
      '--option',
      '--backend',
      '--kind',
      '--k',
      '--train',
      '--test',
      '--random-init',
      '--no-resume',
      '-q',
    ];
    const values = [
      'simclr',
      'byol',
      'nope',
      '-1',
      '0',
      '3',
      '1e9',
      'NaN',
      'adam',
      'lars',
      'cpu',
      'warp',
      'a=b',
      '=',
      '',
    ];
    const word = fc.oneof(fc.constantFrom(...flags), fc.constantFrom(...values), fc.string({ maxLength: 8 }));
    const argv = fc.tuple(
      fc.constantFrom('pretrain', 'embed', 'probe', 'methods', 'frobnicate', '--nope'),
      fc.constantFrom('vision', 'nosuch', 'Vision!', ''),
      fc.array(word, { maxLength: 10 }),
    );
    let errText = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errText += String(chunk);
      return true;
    });
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await fc.assert(
        fc.asyncProperty(argv, async ([command, modality, rest]) => {
          errText = '';
          const missing = join(work, 'does-not-exist');
          const args = [command, modality, ...rest, '--data', missing, '--out', join(work, 'out'), '--quiet'];
          const code = await main(args);
          expect([0, 1, 2]).toContain(code);
          expect(errText).not.toMatch(/internal error/);
        }),
        { numRuns: 150 },
      );
    } finally {
      spy.mockRestore();
      outSpy.mockRestore();
    }
  });
});
