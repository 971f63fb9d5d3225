// The compared runs' decision boundaries side by side, each drawn from the output grid saved with the run
// (GET /api/runs/{id}/boundary) in the playground's colours.

import { blendClasses, probability, valueColor } from '../playground/colors.js';
import { Widget, el } from '../playground/dom.js';
import { RUN_COLORS } from './palette.js';

// One pixel's colour for a binary probability, a multi-class probability vector or a regression value.
function colourOf(value, problem, scale) {
  if (problem === 'multiclass') return blendClasses(value);
  if (problem === 'regression') return valueColor(value, scale);
  return probability(value);
}

export class BoundaryGrid extends Widget {
  // runs: [{name, problem, boundary: {resolution, output}}]
  update(runs) {
    this.$container.replaceChildren();
    runs.forEach((run, i) => {
      const figure = el('figure', {}, this.$container);
      const n = run.boundary.resolution;
      const canvas = el('canvas', { width: n, height: n, role: 'img', 'aria-label': run.name }, figure);
      const rows = run.boundary.output;
      const scale = run.problem === 'regression' ? Math.max(1e-6, ...rows.flat().map(Math.abs)) : 1;
      const ctx = canvas.getContext('2d');
      const image = ctx.createImageData(n, n);
      rows.forEach((row, r) => row.forEach((value, c) => {
        const [red, green, blue] = colourOf(value, run.problem, scale);
        image.data.set([red, green, blue, 255], 4 * (r * n + c));
      }));
      ctx.putImageData(image, 0, 0);
      const caption = el('figcaption', {}, figure);
      el('span', { class: 'runs-swatch', style: `background:${RUN_COLORS[i % RUN_COLORS.length]}` }, caption);
      caption.append(run.name);
    });
    return this;
  }

  reset() { this.$container.replaceChildren(); return this; }
}
