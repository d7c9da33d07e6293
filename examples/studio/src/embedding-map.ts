/**
 * The embedding map on a canvas: one dot per sample at its 2-D UMAP position (core's umap2d,
 * computed in the worker), coloured by the label the user gave it, grey when it has none.
 */

/** Category colours (Tableau 10), then grey for unlabelled samples. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
const UNLABELLED = '#c8c8c8';

/** Draws `points` (`[n, 2]` row-major); `labels[i]` is sample i's class index, -1 for none. */
export function drawEmbeddingMap(
  canvas: HTMLCanvasElement,
  points: ArrayLike<number>,
  labels: readonly number[],
  classNames: readonly string[],
  caption: string,
): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  const pad = 14;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  const n = Math.floor(points.length / 2);
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, points[2 * i]!);
    x1 = Math.max(x1, points[2 * i]!);
    y0 = Math.min(y0, points[2 * i + 1]!);
    y1 = Math.max(y1, points[2 * i + 1]!);
  }
  const sx = (v: number) => pad + ((w - 2 * pad) * (v - x0)) / (x1 - x0 || 1);
  const sy = (v: number) => h - pad - 14 - ((h - 2 * pad - 14) * (v - y0)) / (y1 - y0 || 1);
  // Unlabelled first, so labelled dots are drawn on top.
  const order = [...Array(n).keys()].sort((a, b) => Number((labels[a] ?? -1) >= 0) - Number((labels[b] ?? -1) >= 0));
  for (const i of order) {
    const l = labels[i] ?? -1;
    ctx.fillStyle = l >= 0 ? PALETTE[l % PALETTE.length]! : UNLABELLED;
    ctx.beginPath();
    ctx.arc(sx(points[2 * i]!), sy(points[2 * i + 1]!), l >= 0 ? 3.5 : 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#333';
  ctx.fillText(caption, pad, h - 6);
  const used = [...new Set(labels.filter((l) => l >= 0))].sort((a, b) => a - b).slice(0, 10);
  used.forEach((l, k) => {
    ctx.fillStyle = PALETTE[l % PALETTE.length]!;
    ctx.fillText(`● ${classNames[l] ?? l}`, w - 90, pad + 12 * k);
  });
}
