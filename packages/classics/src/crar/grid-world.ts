/**
 * A small deterministic maze with pixel observations, the kind of environment used to show
 * CRAR's abstract state layout (Francois-Lavet et al. 2019, section 5.1 "labyrinth").
 * The agent moves up/right/down/left on a grid with walls; moving into a wall or off the
 * grid leaves it in place; entering the goal cell pays reward 1 (then the exploring agent is
 * put back on a random free cell). Observations are grey images: floor 0, wall 0.5, agent 1.
 */
import { ConfigError, Rng } from '@autodidact/core';

/** A grid cell, `[row, col]`. */
export type Cell = readonly [row: number, col: number];

/** Actions in order: up, right, down, left. */
export const ACTIONS = ['up', 'right', 'down', 'left'] as const;
const MOVES: readonly Cell[] = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
];

/** The default 8x8 maze: `#` wall, `.` floor, `G` goal (floor with reward). */
export const DEFAULT_MAZE: readonly string[] = [
  '....#...',
  '.##.#.#.',
  '.#....#.',
  '.#.##.#.',
  '...#G...',
  '##.####.',
  '......#.',
  '.####...',
];

/**
 * A second 8x8 maze, other walls and goal, on which CRAR's settings are chosen (the validation
 * split of docs/protocol.md); {@link DEFAULT_MAZE}, the paper-style labyrinth, is the test maze.
 * Every free cell is reachable, as in the default maze.
 */
export const VALIDATION_MAZE: readonly string[] = [
  '...#....',
  '.#.#.##.',
  '.#...#..',
  '.###.#.#',
  '.G.#....',
  '.#.#.##.',
  '.#......',
  '...##.#.',
];

/** Random-exploration transitions, row-major. */
export interface Transitions {
  /** Observations before each move, `[count, obsSize]`. */
  obs: Float32Array;
  /** Observations after each move, `[count, obsSize]`. */
  nextObs: Float32Array;
  /** Action indices (0..3), `[count]`. */
  actions: Int32Array;
  /** Rewards, `[count]`. */
  rewards: Float32Array;
  /** Agent cell before each move, `[count]`. */
  cells: Cell[];
  /** Number of transitions. */
  count: number;
}

/** A maze world. Observations are `[size * size]` grey images (cell size `size / width`). */
export class GridWorld {
  /** Rows of the maze. */
  readonly height: number;
  /** Columns of the maze. */
  readonly width: number;
  /** Side of the square observation in pixels. */
  readonly size: number;
  /** Goal cell. */
  readonly goal: Cell;
  private readonly walls: boolean[][];

  /**
   * @param maze rows of `#`, `.` and one `G`; default {@link DEFAULT_MAZE}.
   * @param size observation side in pixels, a multiple of the maze width; default 32.
   * @throws ConfigError for ragged rows, unknown characters, no single goal or a size that is
   * not a multiple of the grid.
   */
  constructor(maze: readonly string[] = DEFAULT_MAZE, size = 32) {
    this.height = maze.length;
    this.width = maze[0]?.length ?? 0;
    let goal: Cell | undefined;
    this.walls = maze.map((row, r) => {
      if (row.length !== this.width) {
        throw new ConfigError(`row ${r} has ${row.length} cells, expected ${this.width}`, { field: 'gridWorld.maze' });
      }
      return [...row].map((ch, c) => {
        if (ch === 'G') {
          if (goal) throw new ConfigError('expected exactly one goal G', { field: 'gridWorld.maze' });
          goal = [r, c];
        } else if (ch !== '#' && ch !== '.') {
          throw new ConfigError(`unknown cell '${ch}' at row ${r}, expected # . or G`, { field: 'gridWorld.maze' });
        }
        return ch === '#';
      });
    });
    if (!goal) throw new ConfigError('expected exactly one goal G', { field: 'gridWorld.maze' });
    if (size % this.width !== 0 || size % this.height !== 0 || this.width !== this.height) {
      throw new ConfigError(`expected a square maze whose side divides ${size}`, { field: 'gridWorld.size' });
    }
    this.goal = goal;
    this.size = size;
  }

  /** Pixels per observation. */
  get obsSize(): number {
    return this.size * this.size;
  }

  /** True when `cell` is a wall or off the grid. */
  blocked([r, c]: Cell): boolean {
    return r < 0 || c < 0 || r >= this.height || c >= this.width || this.walls[r]![c]!;
  }

  /** Every free cell, row by row. */
  freeCells(): Cell[] {
    const out: Cell[] = [];
    for (let r = 0; r < this.height; r++)
      for (let c = 0; c < this.width; c++) if (!this.blocked([r, c])) out.push([r, c]);
    return out;
  }

  /** The cell reached from `cell` by action `action` (0..3), and the reward. */
  step(cell: Cell, action: number): { next: Cell; reward: number } {
    const move = MOVES[action];
    if (!move) throw new ConfigError(`expected an action in 0..3, got ${action}`, { field: 'gridWorld.action' });
    const target: Cell = [cell[0] + move[0], cell[1] + move[1]];
    const next = this.blocked(target) ? cell : target;
    const reward = next[0] === this.goal[0] && next[1] === this.goal[1] && next !== cell ? 1 : 0;
    return { next, reward };
  }

  /** The observation with the agent at `cell`, written into `out` at `offset`; `[size * size]`. */
  render(cell: Cell, out: Float32Array = new Float32Array(this.obsSize), offset = 0): Float32Array {
    const k = this.size / this.width;
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        const r = Math.floor(y / k);
        const c = Math.floor(x / k);
        out[offset + y * this.size + x] = r === cell[0] && c === cell[1] ? 1 : this.walls[r]![c]! ? 0.5 : 0;
      }
    }
    return out;
  }

  /** `count` transitions of a uniformly random policy, restarting on a random free cell after the goal. */
  explore(count: number, seed: number): Transitions {
    const rng = new Rng(seed);
    const free = this.freeCells();
    const n = this.obsSize;
    const t: Transitions = {
      obs: new Float32Array(count * n),
      nextObs: new Float32Array(count * n),
      actions: new Int32Array(count),
      rewards: new Float32Array(count),
      cells: [],
      count,
    };
    let cell = free[rng.int(free.length)]!;
    for (let i = 0; i < count; i++) {
      const action = rng.int(4);
      const { next, reward } = this.step(cell, action);
      this.render(cell, t.obs, i * n);
      this.render(next, t.nextObs, i * n);
      t.actions[i] = action;
      t.rewards[i] = reward;
      t.cells.push(cell);
      cell = reward > 0 ? free[rng.int(free.length)]! : next;
    }
    return t;
  }
}
