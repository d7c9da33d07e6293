// Property and fuzz tests run with a fixed seed by default, so the test command is reproducible
// and CI cannot go red on an input nobody can replay. `FUZZ_SEED=random` (the `npm run fuzz`
// script) draws a fresh seed per run to explore further; a failure prints the seed to replay
// with `FUZZ_SEED=<seed>`.
import fc from 'fast-check';

const env = process.env.FUZZ_SEED;
if (env !== 'random') {
  const seed = env === undefined || env === '' ? 20261125 : Number(env);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED: expected an integer or 'random', got '${env}'`);
  fc.configureGlobal({ seed });
}
