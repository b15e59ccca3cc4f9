// The editor: the data, network and training panels, and what ties them together — picking a
// data set fills the network and training it suggests, the targets shape the output layer, pasted
// images suggest the course CNN. It reads the whole spec, fills it from a spec or a session, and
// keeps a new session's settings in the page's URL so a link reopens them.
import { api } from './api.js';
import { $ } from './dom.js';
import { t, parseNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { DataPanel } from './data-panel.js';
import { NetworkPanel, layersToText, layersFromText } from './network-panel.js';
import { TrainingPanel } from './training-panel.js';

export { imageLayout } from './data-panel.js';
export { fittingTypes } from './network-panel.js';

/** Epochs per second the editor suggests for a built-in table: 1000 epochs in 10 s. */
const WATCHABLE_PACE = 100;

export class Editor {
  constructor() {
    const changed = () => this.changed();
    this.data = new DataPanel({ onTable: (table) => this.tableShown(table), onRoles: () => this.fitOutputToTargets(), onChange: changed });
    this.data.picker = (id) => { this.pickDataset(id); changed(); };
    this.network = new NetworkPanel({ isImages: () => this.data.isImages(), onChange: changed });
    this.training = new TrainingPanel({ onChange: changed, onLossChosen: () => this.showStrayText() });
    this.keepsUrl = false;
    $('generate-button').addEventListener('click', () => this.generate());
  }

  /**
   * A two-input set of the playground's kinds, made by the server from the kind, points, noise and
   * seed: it lands in the table box like a pasted table, with a network and settings that suit it.
   */
  async generate() {
    clearErrors('kind');
    ['points', 'noise', 'seed'].forEach((field) => clearErrors(field));
    const number = (id) => parseNumber($(id).value);
    const body = { kind: $('generate-kind').value, points: number('generate-points'), noise: number('generate-noise'),
      seed: number('generate-seed') };
    for (const [field, value] of Object.entries(body)) {
      if (field !== 'kind' && (Number.isNaN(value) || (field !== 'noise' && !Number.isInteger(value)))) {
        showError(field, t('error.notInteger', JSON.stringify($(`generate-${field}`).value)));
        return;
      }
    }
    try {
      const set = await api('/api/datasets/generate', { method: 'POST', body });
      this.data.showTable(set.csv);
      this.data.setRoles(set.inputs, set.targets);
      const classification = set.task === 'classification';
      const validationSplit = this.training.read().validationSplit || 0.3;
      this.fill({ network: { layers: [{ type: 'dense', units: 4, activation: 'tanh' },
        { type: 'dense', units: 2, activation: 'tanh' },
        classification ? { type: 'dense', units: 2, activation: 'softmax' } : { type: 'dense', units: 1, activation: 'linear' }] },
      training: { loss: classification ? 'crossentropy' : 'mse', optimizer: 'adam', learningRate: 0.03, epochs: 500,
        batchSize: 10, validationSplit, pace: WATCHABLE_PACE } });
      $('generate-info').textContent = t('data.generated', $('generate-kind').selectedOptions[0].textContent,
        body.points, body.noise, body.seed);
      await this.data.preview();
      this.changed();
    } catch (e) {
      showError(e.field || 'kind', e.message);
    }
  }

  async load() {
    const [defaults] = await Promise.all([api('/api/defaults'), this.data.load()]);
    this.defaults = defaults;
    this.network.useDefaults(defaults.layers);
    this.training.useDefaults(defaults);
  }

  dataset(id) {
    return this.data.dataset(id);
  }

  readLayers() {
    return this.network.read();
  }

  /** Picks a built-in data set and its suggested network and training. */
  pickDataset(id) {
    const dataset = this.data.dataset(id);
    this.data.show(dataset);
    if (!dataset) return;
    // the course's small tables train in well under a second: shown at a pace a class can watch
    const suggested = dataset.suggested || {};
    this.fill({ ...suggested, training: { ...(suggested.training || {}), pace: dataset.images ? 0 : WATCHABLE_PACE } });
    if (!dataset.images) this.data.preview();
  }

  /** The data as it will be trained, for drawing before training (see DataPanel.points). */
  points() {
    return this.data.points(this.training.read().validationSplit);
  }

  /** A new preview: pasted images suggest the CNN, a new table's targets shape the output layer. */
  tableShown({ layout, wasImages, fresh, classes }) {
    if (this.onData) setTimeout(() => this.onData(), 0); // once the output layer fits the targets
    if (layout && !wasImages) this.suggestConvNetwork(layout, classes);
    else if (!layout && wasImages) this.network.render(this.network.read());
    if (fresh) this.fitOutputToTargets();
    else this.showStrayText();
  }

  /**
   * Matches the output layer to the targets: one column of labels suggests cross-entropy with one
   * softmax unit per class; numeric targets, one unit per target column.
   */
  fitOutputToTargets() {
    const targets = this.data.columnsWithRole('target');
    const layers = this.network.read();
    this.showStrayText();
    if (!targets.length || !layers.length) return;
    const output = layers[layers.length - 1];
    const labels = this.data.labels(targets[0]);
    // a column of numbers with a few text cells is a typo to fix, not a reason to classify
    if (targets.length === 1 && labels && !this.data.strayText(targets[0]).length) {
      $('loss').value = 'crossentropy';
      output.units = labels.distinct;
      output.activation = 'softmax';
    } else if ($('loss').value !== 'crossentropy') {
      output.units = targets.length;
    } else {
      return;
    }
    this.network.render(layers);
    this.changed();
  }

  /** The text cells of a target column that holds numbers, named beside the columns: fix them first. */
  showStrayText() {
    clearErrors('data.targets');
    if (this.training.classificationChosen) return;
    for (const column of this.data.columnsWithRole('target')) {
      const stray = this.data.strayText(column);
      if (stray.length) {
        showError('data.targets', t('error.strayText', column, stray.map((c) => `"${c.text}"`).join(', '),
          stray.map((c) => c.line).join(', ')));
        return;
      }
    }
  }

  /** Pasted images and a network without image layers: the course CNN (or a smaller one for small images). */
  suggestConvNetwork(layout, classes) {
    const layers = this.network.read();
    if (layers.some((l) => l.type !== 'dense')) {
      this.network.render(layers);
      return;
    }
    const conv = (filters) => ({ ...this.network.newLayer('conv2d'), filters });
    const pool = this.network.newLayer('maxpool2d');
    const head = [{ type: 'flatten' }, { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dense', units: classes, activation: 'softmax' }];
    const body = layout.side >= 28 ? [conv(32), pool, conv(64), pool, conv(64)]
      : layout.side >= 10 ? [conv(16), pool] : [];
    // and the notebook's settings: Adam 0.001, batches of 32, a validation split to watch
    const validationSplit = this.training.read().validationSplit || 0.2;
    this.training.fill({ loss: 'crossentropy', optimizer: 'adam', learningRate: 0.001, batchSize: 32,
      validationSplit, standardize: false, earlyStopping: this.training.read().earlyStopping });
    this.network.render(body.concat(head));
  }

  /** A spec's network and training (its data is filled by the callers, which know where it comes from). */
  fill(spec) {
    if (spec.network) this.network.fill(spec.network.layers);
    if (spec.training) this.training.fill(spec.training);
  }

  /** Fills everything from a session's spec (its data from the session's table preview when pasted). */
  fillFromSession(session) {
    const spec = session.spec;
    const images = this.data.dataset(spec.data.dataset)?.images;
    if (spec.data.dataset) {
      this.data.show(this.data.dataset(spec.data.dataset));
      if (images) this.data.showTrainingRows(spec.data.trainingRows || 0);
    } else if (spec.data.csv !== undefined) {
      this.data.showTable(spec.data.csv);
    }
    this.data.setRoles(spec.data.inputs.concat(session.data.inputs), []);
    spec.data.targets.concat(session.data.targets).forEach((c) => { this.data.roles[c] = 'target'; });
    this.fill(spec);
    if (!images) this.data.renderPreview(session.data);
    this.data.setFeatures(spec.data.features || []);
  }

  /** Fills the editor from a spec file (as GET /api/sessions/{id}/spec.json writes it); throws if it is not one. */
  fillFromSpec(spec) {
    const valid = spec && typeof spec === 'object' && spec.data && typeof spec.data === 'object'
      && (typeof spec.data.dataset === 'string' || typeof spec.data.csv === 'string')
      && spec.network && Array.isArray(spec.network.layers) && spec.network.layers.length > 0;
    if (!valid) throw new Error('not a spec');
    if (spec.data.dataset) {
      const dataset = this.data.dataset(spec.data.dataset);
      this.data.show(dataset);
      if (dataset?.images) this.data.showTrainingRows(spec.data.trainingRows || 0);
    } else {
      this.data.showTable(spec.data.csv);
    }
    this.data.setRoles(spec.data.inputs || [], spec.data.targets || []);
    this.fill(spec);
    this.data.setFeatures(Array.isArray(spec.data.features) ? spec.data.features : []);
    this.data.preview();
    this.changed();
  }

  /** The spec for POST /api/sessions; numbers a person typed are parsed, bad ones sent as text so the server names them. */
  readSpec() {
    return { data: this.data.read(), network: { layers: this.network.readForSpec() }, training: this.training.read() };
  }

  /** A class's locked parts (data, network, training.loss…): shown, not editable. */
  lock(paths) {
    if (paths.includes('data')) this.data.lock();
    if (paths.includes('network')) this.network.lock();
    this.training.lock(paths);
  }

  /**
   * From now on the page's URL holds the editor's data set, layers and training settings (a new
   * session's editor only: a session's page has its own URL).
   */
  keepInUrl() {
    this.keepsUrl = true;
    this.changed();
  }

  /** Opens what a URL holds (?dataset=xor&layers=dense:4:tanh,dense:1:sigmoid&lr=0.03…); true when it held any. */
  fillFromUrl(params) {
    const dataset = this.data.dataset(params.get('dataset'));
    if (!dataset && !params.has('layers') && !TrainingPanel.inUrl(params)) return false;
    if (dataset) this.pickDataset(dataset.id);
    const layers = layersFromText(params.get('layers'), this.defaults.layers);
    if (layers) this.network.fill(layers);
    this.training.fromUrl(params);
    return true;
  }

  changed() {
    if (this.onData) this.onData();
    if (!this.keepsUrl || location.pathname !== '/') return; // a session's page keeps its own URL
    const params = new URLSearchParams(location.search);
    const dataset = this.data.picked();
    if (dataset) params.set('dataset', dataset.id);
    else params.delete('dataset');
    params.set('layers', layersToText(this.network.read(), this.defaults.layers));
    this.training.toUrl(params);
    // ':' and ',' may stand in a query as they are: dense:4:tanh,dense:2:softmax stays readable
    const query = params.toString().replace(/%3A/gi, ':').replace(/%2C/gi, ',');
    history.replaceState(history.state, '', `${location.pathname}?${query}`);
  }
}
