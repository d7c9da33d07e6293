/**
 * A hand-written SVG scatter of abstract states: one `<circle>` per state, filled by its true
 * `(x, y)` position (red grows with x, green with y), with optional lines between states that
 * are one action apart. No plotting dependency: the figure is a few dozen elements.
 */
import { ShapeError } from '@autodidact/core';

/** Options of {@link abstractStateSvg}. */
export interface AbstractStateSvgOptions {
  /** Pairs of point indices to join with a grey line (e.g. neighbouring maze cells). */
  edges?: readonly (readonly [number, number])[];
  /** Image side in pixels. Default 480. */
  size?: number;
  /** Title drawn at the top. */
  title?: string;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/**
 * SVG text of the first two coordinates of `states` (`n * dim`, `dim >= 2`), each point coloured
 * by `positions[i]` relative to the grid's extent.
 */
export function abstractStateSvg(
  states: ArrayLike<number>,
  dim: number,
  positions: readonly (readonly [number, number])[],
  options: AbstractStateSvgOptions = {},
): string {
  const n = positions.length;
  if (dim < 2 || states.length !== n * dim) {
    throw new ShapeError(`abstractStateSvg: ${states.length} values for ${n} states of dim ${dim}; expected dim >= 2`);
  }
  const size = options.size ?? 480;
  const pad = 30;
  const xs = Array.from({ length: n }, (_, i) => states[i * dim]!);
  const ys = Array.from({ length: n }, (_, i) => states[i * dim + 1]!);
  const span = (v: number[]) => [Math.min(...v), Math.max(...v)] as const;
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const scale = (size - 2 * pad) / Math.max(x1 - x0, y1 - y0, 1e-9);
  const px = (i: number) => (pad + (xs[i]! - x0) * scale).toFixed(1);
  const py = (i: number) => (size - pad - (ys[i]! - y0) * scale).toFixed(1);
  const [gx0, gx1] = span(positions.map((p) => p[0]));
  const [gy0, gy1] = span(positions.map((p) => p[1]));
  const colour = (i: number) => {
    const r = Math.round((255 * (positions[i]![0] - gx0)) / Math.max(gx1 - gx0, 1));
    const g = Math.round((255 * (positions[i]![1] - gy0)) / Math.max(gy1 - gy0, 1));
    return `rgb(${r},${g},160)`;
  };
  const lines = (options.edges ?? []).map(
    ([a, b]) => `<line x1="${px(a)}" y1="${py(a)}" x2="${px(b)}" y2="${py(b)}" stroke="#999" stroke-width="1.5"/>`,
  );
  const circles = positions.map(
    (p, i) =>
      `<circle cx="${px(i)}" cy="${py(i)}" r="7" fill="${colour(i)}" stroke="#333"><title>cell (${p[0]}, ${p[1]})</title></circle>`,
  );
  const title = options.title
    ? `<text x="${size / 2}" y="18" text-anchor="middle" font-family="sans-serif" font-size="14">${escapeXml(options.title)}</text>`
    : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    title,
    ...lines,
    ...circles,
    '</svg>',
    '',
  ].join('\n');
}
