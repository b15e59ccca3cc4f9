// The live area's two views beside the chart: the network diagram and what the network has
// learned over its inputs, fed by the session's live frames. For an image network the diagram
// is one block per layer (Keras's output shape and parameter count).
import { t, formatForInput, parseNumber } from './i18n.js';
import { $, el, setOptions } from './dom.js';
import { showError, clearErrors } from './errors.js';
import { NetworkDiagram } from './network-diagram.js';
import { SurfaceView } from './surface-view.js';
import { ActivationMapsView } from './activation-maps.js';

/** The names the output nodes carry: the classes of a softmax, else the outputs. */
export function outputNames(data) {
  if (data.task === 'classification' && data.outputs.length > 1) {
    return data.classNames && data.classNames.length ? data.classNames : data.classes;
  }
  return data.outputs;
}

export class LivePanel {
  /** onView({x, y}): the viewer chose other axes (more than two inputs). */
  constructor(onView) {
    this.onView = onView;
    this.diagram = new NetworkDiagram($('network-diagram'), $('network-tip'));
    this.surface = new SurfaceView($('surface-canvas'), $('surface-curve'), $('surface-legend'));
    this.maps = new ActivationMapsView();
    this.session = null;
    const changed = () => {
      const x = Number($('surface-x').value);
      let y = Number($('surface-y').value);
      if (y === x) { // the same input twice: the other select moves on
        y = (x + 1) % this.session.data.inputs.length;
        $('surface-y').value = String(y);
      }
      this.surface.setAxes([x, y]);
      this.held = {}; // other inputs are held now: at their means until the person says otherwise
      this.heldKey = null;
      this.sendView();
    };
    $('surface-x').addEventListener('change', changed);
    $('surface-y').addEventListener('change', changed);
  }

  /** The axes chosen and the values the person holds the other inputs at, to the server. */
  sendView() {
    const inputs = this.session.data.inputs;
    this.onView({ x: inputs[Number($('surface-x').value)], y: inputs[Number($('surface-y').value)], at: { ...this.held } });
  }

  /**
   * The inputs off the axes, each in a box with the value it is held at (its training mean until
   * changed); a new value is sent as the view and the next frame shows the surface there.
   */
  showHeld(held) {
    const names = Object.keys(held);
    const key = names.join('\u0000');
    if (key === this.heldKey) return; // the boxes stay as the person is typing in them
    this.heldKey = key;
    $('surface-held').replaceChildren(...names.map((name) => {
      const input = el('input', { type: 'text', inputmode: 'decimal', className: 'held-input',
        value: formatForInput(held[name]), dataset: { held: name }, 'aria-label': t('surface.heldLabel', name) });
      input.addEventListener('change', () => {
        clearErrors('surface');
        const value = parseNumber(input.value);
        if (Number.isNaN(value)) {
          showError('surface', t('error.notNumber', JSON.stringify(input.value)));
          return;
        }
        this.held[name] = value;
        const mean = input.parentElement.querySelector('.hint');
        if (mean) mean.remove(); // no longer the mean
        this.sendView();
      });
      return el('label', { className: 'held' }, `${name} =`, input,
        this.held[name] === undefined ? el('span', { className: 'hint', text: t('surface.mean') }) : null);
    }));
  }

  /** A session opened: the diagram's structure (and its weights if trained), the data drawn. */
  setSession(session) {
    this.session = session;
    this.held = {};
    this.heldKey = null;
    const { data } = session;
    const image = Boolean(data.image);
    $('network-box').hidden = false;
    $('network-diagram').toggleAttribute('hidden', image); // an SVG element has no hidden property
    $('network-tip').hidden = image;
    $('layer-blocks').hidden = !image;
    this.maps.setSession(session).catch(() => { $('maps-box').hidden = true; });
    document.body.classList.toggle('with-maps', image);
    if (image) {
      this.showBlocks(session.summary);
    } else {
      this.diagram.setStructure({ inputs: data.inputs.concat(data.features || []), outputs: outputNames(data),
        sizes: session.spec.network.layers.map((layer) => layer.units) });
      if (session.result && session.result.weights.length) this.diagram.update(session.result.weights);
      this.diagram.setThumbnails([]);
    }
    const points = !image && Array.isArray(data.x) && data.inputs.length > 0;
    $('surface-box').hidden = !points;
    document.body.classList.toggle('with-surface', points);
    if (!points) return;
    $('surface-title').textContent = t('surface.titleData');
    const axes = data.inputs.length > 1 ? [0, 1] : [0, null];
    $('surface-axes').hidden = data.inputs.length <= 2;
    if (data.inputs.length > 2) {
      const choices = data.inputs.map((name, i) => [String(i), name]);
      setOptions($('surface-x'), choices);
      setOptions($('surface-y'), choices);
      $('surface-x').value = '0';
      $('surface-y').value = '1';
    }
    $('surface-held').textContent = '';
    this.surface.setData(data, axes);
  }

  /**
   * Before any session: the editor's data drawn (and the network's shape) so the problem is seen
   * before Train. `data` as DataPanel.points gives it (null: nothing to draw); `sizes`: units a layer.
   */
  preview(data, sizes) {
    if (this.session) return;
    const points = Boolean(data) && data.x.length > 0;
    $('surface-box').hidden = !points;
    $('network-box').hidden = !points;
    document.body.classList.toggle('with-surface', points);
    if (!points) return;
    this.diagram.setStructure({ inputs: data.inputs, outputs: outputNames(data), sizes });
    $('surface-title').textContent = t('surface.titleData');
    $('surface-axes').hidden = true;
    $('surface-held').textContent = '';
    const key = JSON.stringify([data.inputs, data.targets, data.x.length, data.trainRows, data.x[0], data.y[0]]);
    if (key === this.previewKey) return;
    this.previewKey = key;
    this.surface.setData(data, data.inputs.length > 1 ? [0, 1] : [0, null]);
  }

  /** An epoch ended (an image network's maps are fetched again). */
  epoch(epoch) {
    if (this.session && this.session.data.image) this.maps.refresh(epoch);
  }

  /** One live frame: the weights now, the surface or curve now, the hidden units' thumbnails. */
  frame(frame) {
    if (!this.session || this.session.data.image) return;
    if (frame.network) this.diagram.update(frame.network);
    if (frame.surface || frame.curve) {
      $('surface-title').textContent = t('surface.title');
      this.surface.show(frame);
      this.diagram.setThumbnails(SurfaceView.thumbnails(frame));
      const held = (frame.surface || frame.curve).held || {};
      if (this.session.data.inputs.length > 2) this.showHeld(held);
    }
  }

  /** An image network: one block per layer with its output shape and parameters. */
  showBlocks(summary) {
    const rows = (summary && summary.layers) || [];
    $('layer-blocks').replaceChildren(...rows.map((row) => el('div', { className: 'layer-block' },
      el('strong', { text: row.type }), el('span', { text: row.outputShape }),
      el('span', { className: 'hint', text: t('network.params', row.parameters) }))));
  }
}
