// The points a learner draws: [[x1, x2, label], ...] inside the input square, at most `cap` of them (the
// server's row cap, /api/options). Pure (no DOM): tested with node --test.

export class PointSet {
  // cap: the most points the server takes; domain: {minimum, maximum} of both coordinates
  constructor({ cap, domain, points = [] }) {
    this.cap = cap;
    this.domain = domain;
    this.points = [];
    this.replace(points);
  }

  get size() { return this.points.length; }

  get full() { return this.points.length >= this.cap; }

  // Points from elsewhere (a dataset's preview, an upload): kept up to the cap. Returns whether all fitted.
  replace(points) {
    this.points = points.slice(0, this.cap).map(([x1, x2, label]) => [x1, x2, label]);
    return points.length <= this.cap;
  }

  // A point outside the square is moved onto its edge (a drag may leave the canvas). False when full.
  add(x1, x2, label) {
    if (this.full) return false;
    const { minimum: lo, maximum: hi } = this.domain;
    const clip = (v) => Math.min(hi, Math.max(lo, v));
    this.points.push([clip(x1), clip(x2), label]);
    return true;
  }

  // Removes every point within `radius` of (x1, x2), or the nearest one if none is that close but one lies
  // within twice the radius (a tap that just misses a point still erases it). Returns how many went.
  removeNear(x1, x2, radius) {
    const d2 = ([a, b]) => (a - x1) ** 2 + (b - x2) ** 2;
    const before = this.points.length;
    this.points = this.points.filter((p) => d2(p) > radius ** 2);
    if (this.points.length < before) return before - this.points.length;
    let best = -1;
    this.points.forEach((p, i) => {
      if (d2(p) <= (2 * radius) ** 2 && (best < 0 || d2(p) < d2(this.points[best]))) best = i;
    });
    if (best < 0) return 0;
    this.points.splice(best, 1);
    return 1;
  }

  clear() {
    this.points = [];
    return this;
  }

  // The distinct labels in first-seen order (what a class picker offers besides a new class).
  labels() {
    return [...new Set(this.points.map((p) => p[2]))];
  }
}

// Whether a drag moved far enough from the last point it added to add another (so a slow drag does not
// pile hundreds of points onto one spot).
export function farEnough(last, x1, x2, spacing) {
  return !last || (last[0] - x1) ** 2 + (last[1] - x2) ** 2 >= spacing ** 2;
}

// The original [min, max] of each axis the server scaled into the square (its summary's `ranges`), or null
// for an axis it left as it was (one already inside the square: the server scales only those that leave it).
export function scaledAxes(summary, domain) {
  if (!summary?.scaled) return { x1: null, x2: null };
  const original = (r) => (r[0] < domain.minimum || r[1] > domain.maximum ? r : null);
  return { x1: original(summary.ranges.x1), x2: original(summary.ranges.x2) };
}

// The points split as the server last split them (`test`: its test rows, float32 and rounded, as a dataset
// preview gives them): a point among those rows is a test point, any other a training point (a point just drawn,
// until the server splits the data again). Points are matched to 4 decimals, finer than a pixel of the output.
export function splitAs(points, test) {
  const key = ([x1, x2, label]) => `${x1.toFixed(4)},${x2.toFixed(4)},${Number(label).toFixed(3)}`;
  const tested = new Set(test.map(key));
  const out = { train: [], test: [] };
  for (const p of points) (tested.has(key(p)) ? out.test : out.train).push(p);
  return out;
}
