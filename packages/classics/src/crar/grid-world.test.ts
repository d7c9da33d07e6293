import { ConfigError } from '@autodidact/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAZE, GridWorld, VALIDATION_MAZE } from './grid-world.js';

/** Cells reachable from the goal by moves. */
function reachable(w: GridWorld): number {
  const seen = new Set([w.goal.join(',')]);
  const queue = [w.goal];
  while (queue.length) {
    const cell = queue.pop()!;
    for (let a = 0; a < 4; a++) {
      const key = w.step(cell, a).next.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(w.step(cell, a).next);
      }
    }
  }
  return seen.size;
}

describe('GridWorld', () => {
  const world = new GridWorld();

  it('has every free cell reachable from the goal', () => {
    expect(reachable(world)).toBe(world.freeCells().length);
  });

  it('has a validation maze of the same size, another layout and goal, every free cell reachable', () => {
    const v = new GridWorld(VALIDATION_MAZE);
    expect([v.height, v.width, v.obsSize]).toEqual([world.height, world.width, world.obsSize]);
    expect(reachable(v)).toBe(v.freeCells().length);
    expect(v.goal).not.toEqual(world.goal);
    const differing = VALIDATION_MAZE.flatMap((row, r) => [...row].filter((ch, c) => ch !== DEFAULT_MAZE[r]![c]));
    expect(differing.length).toBeGreaterThan(10);
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
