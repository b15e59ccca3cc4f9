// The network panel: the list of layers, each with its type and the fields that type has, added,
// removed and moved by the person. The values of a new layer come from the server (/api/defaults).
import { $, el } from './dom.js';
import { t, parseNumber, formatForInput } from './i18n.js';

const ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid', 'softmax'];
const LAYER_TYPES = ['dense', 'conv2d', 'maxpool2d', 'flatten', 'dropout'];
const CHOICES = { activation: ACTIVATIONS, padding: ['valid', 'same'] };
const LABELS = { units: 'network.units', activation: 'network.activation' };

/**
 * The layer types that fit at a position: convolution and pooling while an image flows (before any
 * flatten or dense layer), dense after; dropout anywhere; the output layer is always dense.
 */
export function fittingTypes(layers, index, images) {
  if (index === layers.length - 1) return ['dense'];
  let spatial = images;
  for (let i = 0; i < index; i++) if (layers[i].type === 'flatten' || layers[i].type === 'dense') spatial = false;
  return spatial ? ['conv2d', 'maxpool2d', 'flatten', 'dropout'] : ['dense', 'dropout'];
}

/** `dense:3:relu,dense:1:linear`: layers in a URL, each type then its fields in the server's order. */
export function layersToText(layers, newLayers) {
  return layers.map((layer) => [layer.type, ...fieldsOf(newLayers, layer.type).map((f) => layer[f])].join(':')).join(',');
}

/** The layers of a URL's text; null when it is not one (an unknown type, a missing field). */
export function layersFromText(text, newLayers) {
  const layers = [];
  for (const part of String(text || '').split(',')) {
    const [type, ...values] = part.split(':');
    if (!newLayers[type]) return null;
    const fields = fieldsOf(newLayers, type);
    if (values.length !== fields.length) return null;
    const layer = { type };
    fields.forEach((field, i) => { layer[field] = CHOICES[field] ? values[i] : parseNumber(values[i]); });
    if (fields.some((field) => Number.isNaN(layer[field]))) return null;
    layers.push(layer);
  }
  return layers.length ? layers : null;
}

const fieldsOf = (newLayers, type) => Object.keys(newLayers[type] || {}).filter((key) => key !== 'type');

export class NetworkPanel {
  /** isImages(): whether image layers fit the data; onChange(): after any change the person makes. */
  constructor({ isImages, onChange }) {
    this.isImages = isImages;
    this.onChange = onChange;
    this.newLayers = { dense: { type: 'dense', units: 3, activation: 'relu' } }; // until /api/defaults answers
    $('layers').addEventListener('input', () => onChange()); // a layer's units, rate… typed
    $('layers').addEventListener('change', (event) => { if (!event.target.classList.contains('layer-type')) onChange(); });
    $('add-layer').addEventListener('click', () => {
      const layers = this.read();
      const at = Math.max(0, layers.length - 1);
      const type = fittingTypes([...layers.slice(0, at), {}, ...layers.slice(at)], at, this.isImages())[0];
      layers.splice(at, 0, this.newLayer(type));
      this.changed(layers);
    });
  }

  /** The server's new layer of each kind ({dense: {type, units, activation}, …}). */
  useDefaults(newLayers) {
    this.newLayers = newLayers;
  }

  newLayer(type) {
    return { ...this.newLayers[type], type };
  }

  fields(type) {
    return fieldsOf(this.newLayers, type);
  }

  changed(layers) {
    this.render(layers);
    this.onChange();
  }

  /** A spec's layers (fields it leaves out take the server's defaults: linear Dense, pooling stride = size). */
  fill(layers) {
    this.render(layers.map((l) => {
      const type = l.type || 'dense';
      const layer = { ...this.newLayer(type), ...l, type };
      if (type === 'dense' && !l.activation) layer.activation = 'linear';
      if (type === 'maxpool2d' && l.stride === undefined) layer.stride = layer.size;
      return layer;
    }));
  }

  render(layers) {
    const images = this.isImages();
    $('layers').replaceChildren(...layers.map((layer, index) => this.layerItem(layers, index, images)));
    if (this.locked) this.lock();
  }

  layerItem(layers, index, images) {
    const layer = layers[index];
    const type = layer.type || 'dense';
    const last = index === layers.length - 1;
    const offered = fittingTypes(layers, index, images);
    if (!offered.includes(type)) offered.push(type); // as loaded: the server will say why not
    const typeSelect = el('select', {
      className: 'layer-type', dataset: { field: `network.layers[${index}].type` }, 'aria-label': t('layer.type'),
      on: { change: (event) => this.replace(index, this.newLayer(event.target.value)) },
    }, ...LAYER_TYPES.filter((n) => offered.includes(n)).map((n) => new Option(t(`layer.${n}`), n)));
    typeSelect.value = type;
    const moves = el('span', { className: 'moves' }, ...[['↑', -1, 'network.moveUp'], ['↓', 1, 'network.moveDown']]
      .map(([symbol, offset, key]) => el('button', {
        type: 'button', className: 'icon move-layer', text: symbol, title: t(key), 'aria-label': t(key),
        disabled: index + offset < 0 || index + offset >= layers.length,
        on: { click: () => this.swap(index, index + offset) },
      })));
    const remove = el('button', {
      type: 'button', className: 'icon remove-layer', text: '×', title: t('network.removeLayer'),
      'aria-label': t('network.removeLayer'), disabled: layers.length === 1, on: { click: () => this.removeAt(index) },
    });
    return el('li', { className: 'layer', dataset: { type } },
      el('span', { className: 'layer-title', text: last ? t('network.outputLayer') : t('network.hiddenLayer', index + 1) }),
      typeSelect,
      ...this.fields(type).map((field) => this.layerField(index, field, layer[field] ?? this.newLayers[type][field])),
      moves, remove,
      el('div', { className: 'field-error', dataset: { errorFor: `network.layers[${index}]` } }));
  }

  replace(index, layer) {
    const layers = this.read();
    layers[index] = layer;
    this.changed(layers);
  }

  swap(index, other) {
    const layers = this.read();
    [layers[index], layers[other]] = [layers[other], layers[index]];
    this.changed(layers);
  }

  removeAt(index) {
    const layers = this.read();
    layers.splice(index, 1);
    this.changed(layers);
  }

  /** One labelled input of a layer: a number, or a choice for activation and padding. */
  layerField(index, field, value) {
    const key = LABELS[field] || `layer.${field}`;
    const props = { className: field, dataset: { field: `network.layers[${index}].${field}` }, 'aria-label': t(key) };
    const input = CHOICES[field]
      ? el('select', props, ...CHOICES[field].map((name) => new Option(field === 'activation' ? t(`activation.${name}`) : name, name)))
      : el('input', { ...props, type: 'text', inputMode: field === 'rate' ? 'decimal' : 'numeric' });
    input.value = CHOICES[field] ? String(value) : formatForInput(value);
    return el('label', {}, t(key), ' ', input);
  }

  /** The layers as the form holds them (numbers still as typed). */
  read() {
    return [...document.querySelectorAll('#layers .layer')].map((li) => {
      const type = li.querySelector('.layer-type').value;
      const layer = { type };
      for (const field of this.fields(type)) {
        const input = li.querySelector(`.${field}`);
        if (input) layer[field] = input.value;
      }
      return layer;
    });
  }

  /** The layers for the spec: numbers parsed, a bad one sent as typed so the server names it. */
  readForSpec() {
    return this.read().map((layer) => {
      const parsed = { ...layer };
      for (const field of this.fields(layer.type)) {
        if (CHOICES[field]) continue;
        const value = parseNumber(layer[field]);
        parsed[field] = Number.isNaN(value) ? layer[field] : value;
      }
      return parsed;
    });
  }

  /** A class's locked network: nothing in the panel can change. */
  lock() {
    this.locked = true;
    $('add-layer').disabled = true;
    document.querySelectorAll('#layers input, #layers select, #layers button').forEach((control) => {
      control.disabled = true;
    });
  }
}
