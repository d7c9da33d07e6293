import { ConfigError } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { GridWorld } from './grid-world.js';

describe('GridWorld', () => {
  const world = new GridWorld();

  it('has every free cell reachable from the goal', () => {
    const free = world.freeCells();
    const seen = new Set([world.goal.join(',')]);
    const queue = [world.goal];
    while (queue.length) {
      const cell = queue.pop()!;
      for (let a = 0; a < 4; a++) {
        const key = world.step(cell, a).next.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          queue.push(world.step(cell, a).next);
        }
      }
    }
    expect(seen.size).toBe(free.length);
  });

  it('blocks walls and edges and pays 1 on entering the goal', () => {
    expect(world.step([0, 0], 0).next).toEqual([0, 0]); // off the grid
    expect(world.step([0, 3], 1).next).toEqual([0, 3]); // wall at (0, 4)
    expect(world.step([4, 5], 3)).toEqual({ next: [4, 4], reward: 1 });
    expect(world.step([4, 5], 1).reward).toBe(0);
  });

  it('renders the agent as a bright 4x4 block', () => {
    const img = world.render([2, 3]);
    expect(img.length).toBe(1024);
    let bright = 0;
    for (const v of img) bright += v === 1 ? 1 : 0;
    expect(bright).toBe(16);
    expect(img[8 * 32 + 12]).toBe(1);
    expect(img[0 * 32 + 16]).toBe(0.5); // wall at (0, 4)
  });

  it('explores with consistent transitions', () => {
    const t = world.explore(300, 1);
    for (let i = 0; i < t.count; i++) {
      const { next, reward } = world.step(t.cells[i]!, t.actions[i]!);
      expect(t.rewards[i]).toBe(reward);
      expect(Array.from(t.nextObs.subarray(i * 1024, (i + 1) * 1024))).toEqual(Array.from(world.render(next)));
    }
  });

  it('rejects malformed mazes', () => {
    expect(() => new GridWorld(['..', '.'])).toThrow(ConfigError);
    expect(() => new GridWorld(['..', '..'])).toThrow(ConfigError);
    expect(() => new GridWorld(['.G', 'x.'])).toThrow(ConfigError);
  });
});
