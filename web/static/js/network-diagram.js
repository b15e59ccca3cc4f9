// The network drawn and alive (as TensorFlow Playground draws it): a column of nodes per layer,
// one line per weight — blue when positive, orange when negative, as wide as its magnitude — and a
// node's fill its bias. Hidden units show a thumbnail of their activation over the input plane
// when the surface sends one. A layer of more than 16 units shows its first 16 and "+N". Hover or
// tap a line or a node for its value (and ∂L/∂w in step-by-step mode).
import { t, formatNumber } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
export const SHOWN = 16;
const POSITIVE = [37, 99, 235];
const NEGATIVE = [234, 88, 12];

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

/** A colour for a signed value of magnitude up to `scale`: white at 0, blue or orange at ±scale. */
export function signedColour(value, scale) {
  const strength = scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
  const [r, g, b] = value >= 0 ? POSITIVE : NEGATIVE;
  const mix = (c) => Math.round(255 + (c - 255) * strength);
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}

export class NetworkDiagram {
  /** `svgElement`: where it draws; `tip`: the element that shows the value under the pointer. */
  constructor(svgElement, tip) {
    this.svg = svgElement;
    this.tip = tip;
    this.structure = null;
    this.edges = [];
    this.nodes = [];
    this.thumbnails = [];
    const show = (event) => {
      const target = event.target.closest('[data-tip]');
      if (target) this.tip.textContent = target.dataset.tip;
    };
    svgElement.addEventListener('pointerover', show);
    svgElement.addEventListener('click', show);
  }

  /**
   * The layers to draw: `inputs` and `outputs` (names), `sizes` (units of every layer, output
   * last). Draws the nodes and lines once; `update` then only recolours them.
   */
  setStructure({ inputs, outputs, sizes }) {
    const key = JSON.stringify([inputs, outputs, sizes]);
    if (this.structure && this.structure.key === key) return;
    this.structure = { key, inputs, outputs, sizes };
    this.svg.replaceChildren();
    this.tip.textContent = t('network.tipHint');
    const columns = [inputs.length, ...sizes];
    const width = 400;
    const height = 330;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const left = 72;
    const right = width - 72;
    const x = (c) => left + (c * (right - left)) / (columns.length - 1);
    const shownOf = (n) => Math.min(n, SHOWN);
    const gap = (n) => (height - 28) / shownOf(n);
    const node = Math.max(6, Math.min(26, Math.min(...columns.map((n) => gap(n))) - 4));
    const y = (c, i) => 10 + gap(columns[c]) * (i + 0.5);
    const edgeLayer = svg('g', { class: 'edges' });
    const nodeLayer = svg('g', { class: 'nodes' });
    this.svg.append(edgeLayer, nodeLayer);
    this.edges = sizes.map(() => []);
    this.nodes = sizes.map(() => []);
    this.thumbnails = sizes.map(() => []);
    sizes.forEach((units, l) => {
      const from = shownOf(columns[l]);
      for (let u = 0; u < shownOf(units); u++) {
        this.edges[l][u] = [];
        for (let i = 0; i < from; i++) {
          const line = svg('line', { x1: x(l), y1: y(l, i), x2: x(l + 1), y2: y(l + 1, u), class: 'edge',
            stroke: '#d1d5db', 'stroke-width': 1 });
          const hit = svg('line', { x1: x(l), y1: y(l, i), x2: x(l + 1), y2: y(l + 1, u), class: 'edge-hit' });
          edgeLayer.append(line, hit);
          this.edges[l][u][i] = { line, hit, name: `w ${this.unitName(l - 1, i)} → ${this.unitName(l, u)}` };
        }
      }
    });
    columns.forEach((n, c) => {
      for (let i = 0; i < shownOf(n); i++) {
        const cx = x(c);
        const cy = y(c, i);
        if (c === 0) {
          nodeLayer.append(svg('circle', { cx, cy, r: node / 2, class: 'node input', fill: '#f3f4f6',
            'data-tip': inputs[i] }));
          nodeLayer.append(this.label(inputs[i], cx - node / 2 - 4, cy, 'end'));
          continue;
        }
        const l = c - 1;
        const rect = svg('rect', { x: cx - node / 2, y: cy - node / 2, width: node, height: node, rx: 3,
          class: 'node', fill: '#f3f4f6', 'data-tip': this.unitName(l, i) });
        const image = svg('image', { x: cx - node / 2 + 1, y: cy - node / 2 + 1, width: node - 2, height: node - 2,
          preserveAspectRatio: 'none', class: 'thumbnail', 'pointer-events': 'none' });
        nodeLayer.append(rect, image);
        this.nodes[l][i] = { rect, name: this.unitName(l, i) };
        this.thumbnails[l][i] = image;
        if (c === columns.length - 1) nodeLayer.append(this.label(outputs[i] ?? '', cx + node / 2 + 4, cy, 'start'));
      }
      if (n > SHOWN) {
        nodeLayer.append(this.label(`+${n - SHOWN}`, x(c), height - 6, 'middle', 'more'));
      }
    });
  }

  label(text, x, y, anchor, className = 'node-label') {
    const label = svg('text', { x, y, 'text-anchor': anchor, 'dominant-baseline': 'middle', class: className });
    label.textContent = text.length > 10 ? `${text.slice(0, 9)}…` : text;
    return label;
  }

  /** h1.3 for the third unit of the first hidden layer; an output's own name; an input's (l = −1). */
  unitName(l, i) {
    const { inputs, outputs, sizes } = this.structure;
    if (l < 0) return inputs[i];
    if (l === sizes.length - 1) return outputs[i] ?? `${t('network.output')} ${i + 1}`;
    return `h${l + 1}.${i + 1}`;
  }

  /**
   * New values: `layers` [{weights[input][unit], biases[unit]}] (the first 16 of each way at
   * least), and optionally `gradients` of the same shape (step by step).
   */
  update(layers, gradients = null) {
    if (!this.structure) return;
    let scale = 0;
    layers.forEach((layer) => layer.weights.forEach((row) => row.forEach((w) => { scale = Math.max(scale, Math.abs(w)); })));
    let biasScale = 0;
    layers.forEach((layer) => layer.biases.forEach((b) => { biasScale = Math.max(biasScale, Math.abs(b)); }));
    this.edges.forEach((units, l) => units.forEach((inputs, u) => inputs.forEach((edge, i) => {
      const w = layers[l] && layers[l].weights[i] ? layers[l].weights[i][u] : undefined;
      if (w === undefined) return;
      edge.line.setAttribute('stroke', signedColour(w, scale));
      edge.line.setAttribute('stroke-width', (0.5 + 5 * (scale > 0 ? Math.abs(w) / scale : 0)).toFixed(2));
      const g = gradients && gradients[l] ? gradients[l].weights[i][u] : undefined;
      edge.hit.dataset.tip = `${edge.name} = ${formatNumber(w)}${g === undefined ? '' : `   ∂L/∂w = ${formatNumber(g)}`}`;
    })));
    this.nodes.forEach((units, l) => units.forEach((node, u) => {
      const b = layers[l] ? layers[l].biases[u] : undefined;
      if (b === undefined) return;
      node.rect.setAttribute('fill', signedColour(b, biasScale));
      const g = gradients && gradients[l] ? gradients[l].biases[u] : undefined;
      node.rect.dataset.tip = `${t('network.bias', node.name)} = ${formatNumber(b)}`
        + `${g === undefined ? '' : `   ∂L/∂b = ${formatNumber(g)}`}`;
    }));
  }

  /** Thumbnails for hidden units: [{layer, unit, url}] (a data URL each); an empty list clears them. */
  setThumbnails(thumbnails) {
    this.thumbnails.forEach((units) => units.forEach((image) => image.removeAttribute('href')));
    thumbnails.forEach(({ layer, unit, url }) => {
      const image = this.thumbnails[layer] && this.thumbnails[layer][unit];
      if (image) image.setAttribute('href', url);
    });
  }
}
