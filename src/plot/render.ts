/**
 * Rendering Vega-Lite specs to SVG with Vega's headless renderer (no browser, no canvas: SVG
 * text is measured by Vega's built-in estimate). Vega and Vega-Lite are imported on first use,
 * so importing this module costs nothing until a plot is drawn; it runs in Node and browsers.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { importOptional } from '../optional.js';

/**
 * The SVG text of a Vega-Lite spec.
 * @throws NtkMissingDependencyError when vega or vega-lite (optional dependencies) is not installed.
 * @throws Error from Vega-Lite's compiler for an invalid spec.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vl, vega] = await importOptional('renderSvg (drawing plots)', ['vega', 'vega-lite'],
    () => Promise.all([import('vega-lite'), import('vega')]));
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
