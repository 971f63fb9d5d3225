// Drawing on a canvas: in edit mode a press adds a point of the chosen label and a drag keeps adding them;
// shift (or the eraser) removes the nearest points instead. Pointer events, so a finger works as a mouse does.
// `onChange` fires while the pointer moves (redraw), `onFinishChange` once on release (ask the server then).

import { Widget } from './dom.js';
import { farEnough } from './point-set.js';

// Distances in the input square's own units, as a share of its side: a drag drops a point every 1/40 of
// the side and the eraser reaches 1/30 of it (about a point's width at the canvas's size).
const SPACING = 1 / 40;
const ERASE_RADIUS = 1 / 30;

export class PointEditor extends Widget {
  // container: the canvas drawn on. options: {points: PointSet, toData(clientX, clientY) → [x1, x2],
  //   label() → the label a new point gets, erasing() → whether the eraser is on,
  //   onChange(points), onFinishChange(points), onFull()}
  constructor(container, options) {
    super(container, options);
    this.$canvas = container;
    this.editing = false;
    this._stroke = null; // {pointerId, erase, last, changed} while a pointer is down
    const side = options.points.domain.maximum - options.points.domain.minimum;
    this._spacing = SPACING * side;
    this._radius = ERASE_RADIUS * side;
    this.$canvas.addEventListener('pointerdown', (e) => this._down(e));
    this.$canvas.addEventListener('pointermove', (e) => this._move(e));
    this.$canvas.addEventListener('pointerup', (e) => this._up(e));
    this.$canvas.addEventListener('pointercancel', (e) => this._up(e));
  }

  // data: {editing}
  update({ editing } = {}) {
    if (editing !== undefined) {
      this.editing = editing;
      // While editing, a finger on the canvas draws instead of scrolling the page.
      this.$canvas.classList.toggle('pg-editing', editing);
    }
    return this;
  }

  _down(event) {
    if (!this.editing || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.$canvas.setPointerCapture?.(event.pointerId);
    this._stroke = { pointerId: event.pointerId, erase: event.shiftKey || this.options.erasing(), last: null, changed: false };
    this._apply(event);
  }

  _move(event) {
    if (this._stroke?.pointerId !== event.pointerId) return;
    event.preventDefault();
    this._apply(event);
  }

  _up(event) {
    const stroke = this._stroke;
    if (stroke?.pointerId !== event.pointerId) return;
    this._stroke = null;
    if (stroke.changed) this.options.onFinishChange(this.options.points);
  }

  _apply(event) {
    const stroke = this._stroke;
    const [x1, x2] = this.options.toData(event.clientX, event.clientY);
    const points = this.options.points;
    if (stroke.erase) {
      if (!points.removeNear(x1, x2, this._radius)) return;
    } else {
      if (!farEnough(stroke.last, x1, x2, this._spacing)) return;
      if (!points.add(x1, x2, this.options.label())) {
        this.options.onFull();
        return;
      }
      stroke.last = [x1, x2];
    }
    stroke.changed = true;
    this.options.onChange(points);
  }
}
