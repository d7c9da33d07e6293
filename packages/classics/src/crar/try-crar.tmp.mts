import { initBackend } from '@autodidact/core';
import { Crar } from './crar.js';
import { GridWorld } from './grid-world.js';
import { positionProbe } from './position-probe.js';
await initBackend({ quiet: true });
const steps = Number(process.argv[2] ?? 1000);
const world = new GridWorld();
console.log('cells', world.cells.length, world.imageShape);
for (const seed of [0, 1, 2]) {
  const data = world.explore(5000, seed);
  const m = new Crar(world, { seed, ...JSON.parse(process.argv[3] ?? '{}') });
  const before = positionProbe(m.abstractStates(), m.options.abstractDim, world.cells).meanR2;
  const t0 = Date.now();
  const log: string[] = [];
  for (let i = 0; i < 5; i++) {
    const h = m.fit(data, steps / 5);
    const l = h[h.length - 1]!;
    log.push(
      `${((i + 1) * steps) / 5}: tr ${l.transition.toFixed(3)} rw ${l.reward.toFixed(3)} di ${l.dispersion.toFixed(3)} co ${l.consistency.toFixed(3)} R2 ${positionProbe(m.abstractStates(), m.options.abstractDim, world.cells).meanR2.toFixed(3)}`,
    );
  }
  console.log('seed', seed, 'before', before.toFixed(3), Date.now() - t0, 'ms\n ', log.join('\n  '));
  m.dispose();
}
