import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification (re-exported type of the `vega-lite` package). */
export type VegaLiteSpec = TopLevelSpec;

/**
 * Renders a Vega-Lite spec to an SVG string headless in Node: compiles it to Vega, runs the
 * dataflow without a renderer and serialises the scenegraph to SVG. No canvas or browser is
 * needed (text widths are estimated). Data must be inline (`data.values`); nothing is loaded.
 */
export async function renderVegaLite(spec: VegaLiteSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
