// A bounded series buffer, pure: keeps at most `capacity` points spread evenly over the whole history,
// however long training runs, so a chart redraws in constant time after 100,000 epochs.
//
// Points are kept with a stride: every `stride`-th pushed point is stored. When the buffer fills, every other
// stored point is dropped and the stride doubles. The latest point is always shown, stored or not.

export class SeriesBuffer {
  constructor(capacity = 400) {
    if (!(capacity >= 4)) throw new Error(`capacity must be at least 4; received ${capacity}`);
    this.capacity = capacity;
    this.reset();
  }

  reset() {
    this._points = [];
    this._stride = 1;
    this._count = 0;
    this._latest = null;
    return this;
  }

  // point: {x, ...values}; x must not decrease (an equal x replaces the latest, e.g. after a weight edit).
  push(point) {
    if (this._latest && point.x < this._latest.x) throw new Error(`x must not decrease: ${point.x} after ${this._latest.x}`);
    if (this._latest && point.x === this._latest.x) {
      this._latest = point;
      const last = this._points[this._points.length - 1];
      if (last && last.x === point.x) this._points[this._points.length - 1] = point;
      return this;
    }
    this._latest = point;
    if (this._count % this._stride === 0) {
      this._points.push(point);
      if (this._points.length >= this.capacity) {
        this._points = this._points.filter((_, i) => i % 2 === 0);
        this._stride *= 2;
      }
    }
    this._count += 1;
    return this;
  }

  get length() {
    return this.points().length;
  }

  get latest() {
    return this._latest;
  }

  // The points to draw: the kept ones, then the latest if it was not kept.
  points() {
    const last = this._points[this._points.length - 1];
    return this._latest && last !== this._latest ? [...this._points, this._latest] : this._points.slice();
  }
}

// The point whose x is nearest to `x` (points sorted by x), or null.
export function nearest(points, x) {
  if (!points.length) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid; else hi = mid;
  }
  return Math.abs(points[lo].x - x) <= Math.abs(points[hi].x - x) ? points[lo] : points[hi];
}
