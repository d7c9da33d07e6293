/**
 * The live training curves on a canvas: loss (left axis), and the learning rate and the
 * embedding-std collapse ratio (each scaled to its own maximum; the std ratio is about 1 when
 * embeddings spread over the sphere and falls towards 0 when they collapse).
 */

/** One logged step. */
export interface CurvePoint {
  step: number;
  loss: number;
  lr: number;
  stdRatio?: number;
}

const COLOURS = { loss: '#1f6feb', lr: '#999', std: '#d4731c' };

/** Redraws every curve of `points` over `totalSteps` steps. */
export function drawCurves(canvas: HTMLCanvasElement, points: CurvePoint[], totalSteps: number): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  const pad = { l: 48, r: 12, t: 12, b: 28 };
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
  if (points.length === 0) return;
  const losses = points.map((p) => p.loss);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const x = (step: number) => pad.l + ((w - pad.l - pad.r) * step) / Math.max(1, totalSteps);
  const y = (v: number, min: number, max: number) => pad.t + (h - pad.t - pad.b) * (1 - (v - min) / (max - min || 1));
  const line = (colour: string, values: [number, number][], min: number, max: number) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    values.forEach(([s, v], i) => {
      if (i === 0) ctx.moveTo(x(s), y(v, min, max));
      else ctx.lineTo(x(s), y(v, min, max));
    });
    ctx.stroke();
  };
  const lrMax = Math.max(...points.map((p) => p.lr));
  line(
    COLOURS.lr,
    points.map((p) => [p.step, p.lr]),
    0,
    lrMax,
  );
  const std = points.filter((p) => p.stdRatio !== undefined).map((p) => [p.step, p.stdRatio!] as [number, number]);
  if (std.length > 0) line(COLOURS.std, std, 0, Math.max(1, ...std.map((s) => s[1])));
  line(
    COLOURS.loss,
    points.map((p) => [p.step, p.loss]),
    lo,
    hi,
  );
  ctx.fillStyle = '#333';
  ctx.fillText(hi.toFixed(3), 4, pad.t + 8);
  ctx.fillText(lo.toFixed(3), 4, h - pad.b);
  ctx.fillText(`step ${points[points.length - 1]!.step} / ${totalSteps}`, pad.l, h - 8);
  const legend: [string, string][] = [
    ['loss', COLOURS.loss],
    ['learning rate', COLOURS.lr],
    ['embedding std ratio', COLOURS.std],
  ];
  legend.forEach(([name, colour], i) => {
    ctx.fillStyle = colour;
    ctx.fillText(name, w - pad.r - 130, pad.t + 14 + 13 * i);
  });
}
