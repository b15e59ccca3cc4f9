// What the network has learned over its inputs, drawn from the server's live frames: for two
// inputs a heatmap (the predicted class as colour, its probability as intensity; a regression's
// value as a colour map) under the data points (training filled, validation as rings); for one
// input the data with the network's curve moving as it trains. Before the first frame it draws
// the data alone, so the problem is seen first. Thumbnails of hidden units for the diagram.
import { t, formatNumber } from './i18n.js';
import { signedColour } from './network-diagram.js';
import { el, bytes } from './dom.js';

export const CLASS_COLOURS = [[37, 99, 235], [234, 88, 12], [22, 163, 74], [147, 51, 234], [219, 39, 119],
  [202, 138, 4], [8, 145, 178], [75, 85, 99], [190, 18, 60], [101, 163, 13]];
const css = ([r, g, b], a = 1) => `rgba(${r}, ${g}, ${b}, ${a})`;

/** Viridis-like: dark blue (low) through teal to yellow (high), t in [0, 1]. */
function valueColour(x) {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const scaled = Math.max(0, Math.min(1, x)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(scaled));
  const f = scaled - i;
  return stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f));
}

export class SurfaceView {
  /** `canvas`: the heatmap; `curveCanvas`: the one-input chart; `legend`: what the colours mean. */
  constructor(canvas, curveCanvas, legend) {
    this.canvas = canvas;
    this.curveCanvas = curveCanvas;
    this.legend = legend;
    this.data = null;
    this.frame = null;
    this.curveChart = null;
  }

  /**
   * The session's data: `inputs`, `targets`, `task`, `classNames`, the points `x`/`y` (original
   * units; the first `trainRows` train, the next `validationRows` validate), and which inputs
   * are on the axes.
   */
  setData(data, axes) {
    this.data = data;
    this.axes = axes;
    this.frame = null;
    if (this.curveChart) {
      this.curveChart.destroy();
      this.curveChart = null;
    }
    this.draw();
  }

  /** Which inputs are on the axes now ([x, y] indices; y null for a curve). */
  setAxes(axes) {
    this.axes = axes;
    this.draw();
  }

  /** A frame's surface (two inputs) or curve (one). */
  show(frame) {
    this.frame = frame;
    this.draw();
  }

  get oneInput() {
    return this.data && this.axes && this.axes[1] === null;
  }

  draw() {
    if (!this.data) return;
    this.canvas.hidden = this.oneInput;
    this.curveCanvas.parentElement.hidden = !this.oneInput;
    if (this.oneInput) this.drawCurve();
    else this.drawMap();
  }

  /** The range of the data along input `c`, as the server lays its grid (training and validation rows). */
  range(c) {
    const rows = this.data.x.slice(0, this.data.trainRows + this.data.validationRows);
    let min = Infinity;
    let max = -Infinity;
    rows.forEach((r) => { min = Math.min(min, r[c]); max = Math.max(max, r[c]); });
    if (!(max > min)) { min -= 0.5; max = min + 1; }
    return { min, max };
  }

  drawMap() {
    const { canvas } = this;
    const size = canvas.width;
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    const surface = this.frame && this.frame.surface;
    const [xc, yc] = this.axes;
    const xr = surface ? surface.x : this.range(xc);
    const yr = surface ? surface.y : this.range(yc);
    if (surface) {
      const n = surface.size;
      const image = context.createImageData(n, n);
      const predicted = surface.predicted ? bytes(surface.predicted) : null;
      const confidence = surface.confidence ? bytes(surface.confidence) : null;
      const values = surface.values ? bytes(surface.values) : null;
      const classes = surface.classes ? surface.classes.length : 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const cell = i * n + j;
          const pixel = ((n - 1 - i) * n + j) * 4; // row 0 is the lowest y: drawn at the bottom
          let colour;
          if (predicted) {
            // intensity: how far the probability is above a coin toss among the classes
            const p = confidence[cell] / 255;
            const strength = Math.max(0, Math.min(1, (p - 1 / classes) / (1 - 1 / classes))) * 0.75;
            const base = CLASS_COLOURS[predicted[cell] % CLASS_COLOURS.length];
            colour = base.map((c) => Math.round(255 + (c - 255) * strength));
          } else {
            colour = valueColour(values[cell] / 255);
          }
          image.data.set([...colour, 255], pixel);
        }
      }
      const cells = document.createElement('canvas');
      cells.width = n;
      cells.height = n;
      cells.getContext('2d').putImageData(image, 0, 0);
      context.imageSmoothingEnabled = true;
      context.drawImage(cells, 0, 0, size, size);
    }
    this.drawPoints(context, size, xr, yr);
    this.drawLegend(surface);
  }

  drawPoints(context, size, xr, yr) {
    const [xc, yc] = this.axes;
    const { x, y, trainRows, validationRows, task } = this.data;
    const px = (v) => ((v - xr.min) / (xr.max - xr.min)) * (size - 8) + 4;
    const py = (v) => size - 4 - ((v - yr.min) / (yr.max - yr.min)) * (size - 8);
    let yMin = Infinity;
    let yMax = -Infinity;
    if (task !== 'classification') y.forEach((r) => { yMin = Math.min(yMin, r[0]); yMax = Math.max(yMax, r[0]); });
    for (let r = 0; r < trainRows + validationRows; r++) {
      const colour = task === 'classification'
        ? CLASS_COLOURS[this.classOf(y[r]) % CLASS_COLOURS.length]
        : valueColour((y[r][0] - yMin) / (yMax - yMin || 1));
      // training points with a white edge, validation points (never trained on) with a black one
      context.beginPath();
      context.arc(px(x[r][xc]), py(x[r][yc]), 3.5, 0, 2 * Math.PI);
      context.fillStyle = css(colour);
      context.fill();
      context.strokeStyle = r < trainRows ? '#fff' : '#111827';
      context.lineWidth = r < trainRows ? 1 : 1.6;
      context.stroke();
    }
  }

  classOf(row) {
    if (row.length === 1) return row[0] >= 0.5 ? 1 : 0;
    return row.indexOf(Math.max(...row));
  }

  drawLegend(surface) {
    const names = this.data.classNames && this.data.classNames.length ? this.data.classNames : this.data.classes;
    const parts = [];
    const swatch = (className, colour) => {
      const mark = el('span', { className });
      if (colour) mark.style.background = colour;
      return mark;
    };
    if (this.data.task === 'classification') {
      (names || []).forEach((name, i) => parts.push(el('span', { className: 'legend-item' },
        swatch('swatch', css(CLASS_COLOURS[i % CLASS_COLOURS.length])), name)));
      parts.push(el('span', { className: 'legend-item' }, swatch('dot'), t('surface.training')));
      parts.push(el('span', { className: 'legend-item' }, swatch('ring'), t('surface.validation')));
    } else if (surface && surface.min !== undefined) {
      parts.push(el('span', { className: 'legend-item' }, `${this.data.targets[0]}: ${formatNumber(surface.min)}`,
        swatch('gradient'), formatNumber(surface.max)));
      parts.push(el('span', { className: 'legend-item' }, swatch('dot'), t('surface.training')));
      parts.push(el('span', { className: 'legend-item' }, swatch('ring'), t('surface.validation')));
    }
    this.legend.replaceChildren(...parts);
  }

  drawCurve() {
    const { x, y, trainRows, validationRows, task, inputs, targets } = this.data;
    const c = this.axes[0];
    const classification = task === 'classification';
    const points = (from, to) => x.slice(from, to).map((r, i) => ({ x: r[c],
      y: classification ? this.classOf(y[from + i]) : y[from + i][0] }));
    const curve = this.frame && this.frame.curve;
    const curves = [];
    if (curve) {
      const n = curve.points.length;
      const at = (j) => curve.x.min + (j * (curve.x.max - curve.x.min)) / (n - 1);
      const column = classification ? Math.max(0, curve.points[0].length - 1) : 0;
      curves.push(curve.points.map((p, j) => ({ x: at(j), y: p[column] })));
    }
    const datasets = [
      { label: t('surface.training'), data: points(0, trainRows), backgroundColor: css(CLASS_COLOURS[0], 0.8), pointRadius: 3 },
      { label: t('surface.validation'), data: points(trainRows, trainRows + validationRows), backgroundColor: '#fff',
        borderColor: css(CLASS_COLOURS[1]), borderWidth: 2, pointRadius: 3.5 },
      { label: t('chart.fitted'), data: curves[0] || [], type: 'line', borderColor: '#f97316', pointRadius: 0,
        borderWidth: 2.5 },
    ];
    if (this.curveChart) {
      this.curveChart.data.datasets.forEach((d, i) => { d.data = datasets[i].data; });
      this.curveChart.update('none');
      return;
    }
    // eslint-disable-next-line no-undef
    this.curveChart = new Chart(this.curveCanvas, {
      type: 'scatter',
      data: { datasets },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { x: { title: { display: true, text: inputs[c] } },
          y: { title: { display: true, text: classification ? t('surface.probability') : targets[0] } } },
      },
    });
    this.legend.textContent = '';
  }

  /** Each shown hidden unit's activation as a small image (blue positive, orange negative), for the diagram. */
  static thumbnails(frame) {
    const surface = frame.surface;
    if (!surface || !surface.units) return [];
    const n = surface.unitSize;
    return surface.units.map((unit) => {
      const values = bytes(unit.values);
      const canvas = document.createElement('canvas');
      canvas.width = n;
      canvas.height = n;
      const context = canvas.getContext('2d');
      const image = context.createImageData(n, n);
      const scale = Math.max(Math.abs(unit.min), Math.abs(unit.max));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const v = unit.min + (values[i * n + j] / 255) * (unit.max - unit.min);
          const rgb = signedColour(v, scale).match(/\d+/g).map(Number);
          image.data.set([...rgb, 255], ((n - 1 - i) * n + j) * 4);
        }
      }
      context.putImageData(image, 0, 0);
      return { layer: unit.layer, unit: unit.unit, url: canvas.toDataURL() };
    });
  }
}
