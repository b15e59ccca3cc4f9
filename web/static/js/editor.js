// The editor: data (built-in or pasted, with a preview and column roles), the layers, the
// training settings. It reads the form into the API's spec and fills the form from a spec.
import { api, ApiFailure } from './api.js';
import { t, lang, parseNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';

export { showError, clearErrors };

const ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid', 'softmax'];
const LAYER_TYPES = ['dense', 'conv2d', 'maxpool2d', 'flatten', 'dropout'];
/** What each layer type has besides its type, with a new layer's values. */
const LAYER_FIELDS = {
  dense: { units: 3, activation: 'relu' },
  conv2d: { filters: 32, kernel: 3, stride: 1, padding: 'valid', activation: 'relu' },
  maxpool2d: { size: 2, stride: 2, padding: 'valid' },
  flatten: {},
  dropout: { rate: 0.25 },
};
const NUMERIC_FIELDS = ['units', 'filters', 'kernel', 'stride', 'size', 'rate'];

/** Whether the data is images ({side}) or a table (null), from a data set or from pasted columns. */
export function imageLayout(columns) {
  const pixels = columns.length - 1;
  const side = Math.round(Math.sqrt(pixels));
  if (pixels < 4 || side * side !== pixels || columns[0].trim().toLowerCase() !== 'label') return null;
  for (let i = 1; i <= pixels; i++) if (columns[i].trim().toLowerCase() !== `pixel${i}`) return null;
  return { side };
}

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
const $ = (id) => document.getElementById(id);

export class Editor {
  constructor() {
    this.datasets = [];
    this.columns = [];
    this.roles = {};
    this.previewTimer = null;
    this.previewSeq = 0;
    // cross-entropy picked by the person (not suggested): an explicit classification, typos and all
    this.classifyChosen = false;
    $('loss').addEventListener('change', () => {
      this.classifyChosen = $('loss').value === 'crossentropy';
      this.showStrayText(this.columnsWithRole('target'));
    });
    $('dataset-select').addEventListener('change', () => this.pickDataset($('dataset-select').value));
    $('csv-input').addEventListener('input', () => {
      if ($('dataset-select').value) {
        const dataset = this.dataset($('dataset-select').value);
        if (dataset && $('csv-input').value !== dataset.csv) $('dataset-select').value = '';
        this.describeDataset();
      }
      this.schedulePreview();
    });
    $('early-stopping-enabled').addEventListener('change', () => {
      $('early-stopping-fields').hidden = !$('early-stopping-enabled').checked;
    });
    $('add-layer').addEventListener('click', () => {
      const layers = this.readLayers();
      const at = Math.max(0, layers.length - 1);
      const type = fittingTypes([...layers.slice(0, at), {}, ...layers.slice(at)], at, this.isImages())[0];
      layers.splice(at, 0, { type, ...LAYER_FIELDS[type] });
      this.renderLayers(layers);
    });
    $('download-fashion').addEventListener('click', () => this.downloadFashion());
    $('csv-file').addEventListener('change', () => this.loadFile($('csv-file').files[0]));
  }

  /** A CSV file (an image set in the label,pixel1,… layout, say) read into the table box, within the paste limit. */
  async loadFile(file) {
    if (!file) return;
    clearErrors('data.');
    const maxBytes = Number(document.body.dataset.maxPasteBytes || 0);
    if (maxBytes && file.size > maxBytes) {
      showError('data.csv', t('error.pasteTooLargeClient', Math.round(maxBytes / 1048576)));
      return;
    }
    $('dataset-select').value = '';
    this.describeDataset();
    this.describeImages(null);
    $('csv-input').value = await file.text();
    $('csv-file').value = '';
    this.preview();
  }

  /** Whether the data is images: an image data set, or a pasted table in the label,pixel1,… layout. */
  isImages() {
    const dataset = this.dataset($('dataset-select').value);
    if (dataset) return Boolean(dataset.images);
    return Boolean(this.pastedImages);
  }

  /** Shows an image data set's sizes, class names, subset choice and (for Fashion-MNIST) the download. */
  describeImages(dataset) {
    $('image-options').hidden = !dataset || !dataset.images;
    $('table-input').hidden = Boolean(dataset && dataset.images);
    if (!dataset || !dataset.images) return;
    const images = dataset.images;
    const names = images.classNames[lang] || images.classNames.en;
    $('image-info').textContent = t('images.info', images.side, images.side, names.length, names.join(', '),
      images.train, images.test);
    const select = $('training-rows');
    select.replaceChildren();
    const sizes = [500, 1000, 5000, 10000, 20000].filter((n) => n < images.train).concat([0]);
    for (const size of sizes) {
      const option = document.createElement('option');
      option.value = String(size);
      option.textContent = size === 0 ? t('images.all', images.train) : size.toLocaleString(lang);
      select.appendChild(option);
    }
    select.value = String(images.trainingRows || 0);
    $('fashion-download').hidden = images.available === true && images.state !== 'downloading';
    this.showDownloadState(images);
  }

  showDownloadState(images) {
    const states = { available: 'images.downloaded', downloading: 'images.downloading' };
    let text = t(states[images.state] || (images.canDownload === false ? 'images.localMissing' : 'images.missing'));
    if (images.state === 'failed' && images.error) text = images.error;
    const progress = images.state === 'downloading' && images.progress;
    if (progress) {
      const megabytes = (bytes) => (bytes / 1e6).toLocaleString(lang, { maximumFractionDigits: 1 });
      text = progress.size > 0
        ? t('images.downloadingOf', progress.file, megabytes(progress.bytes), megabytes(progress.size),
          Math.floor((100 * progress.bytes) / progress.size))
        : t('images.downloadingSoFar', progress.file, megabytes(progress.bytes));
    }
    $('download-status').textContent = text;
    $('download-fashion').disabled = images.canDownload === false || images.state === 'downloading'
      || images.state === 'available';
  }

  /** Starts the server's download and follows it until the files are there (or it fails). */
  async downloadFashion() {
    clearErrors('data.');
    try {
      let status = await api('/api/datasets/fashion-mnist/download', { method: 'POST', body: {} });
      const dataset = this.dataset('fashion-mnist');
      while (status.state === 'downloading') {
        Object.assign(dataset.images, status);
        this.showDownloadState(dataset.images);
        await new Promise((resolve) => { setTimeout(resolve, 1000); });
        status = await api('/api/datasets/fashion-mnist');
      }
      Object.assign(dataset.images, status, { available: status.state === 'available' });
      this.showDownloadState(dataset.images);
    } catch (e) {
      if (e instanceof ApiFailure) showError(e.field || 'data.dataset', e.message);
      else throw e;
    }
  }

  async load() {
    this.datasets = await api('/api/datasets');
    const select = $('dataset-select');
    for (const dataset of this.datasets) {
      const option = document.createElement('option');
      option.value = dataset.id;
      option.textContent = dataset.name[lang] || dataset.name.en;
      select.appendChild(option);
    }
  }

  dataset(id) {
    return this.datasets.find((d) => d.id === id);
  }

  /** Picks a built-in data set and its suggested network and training. */
  pickDataset(id) {
    const dataset = this.dataset(id);
    $('dataset-select').value = dataset ? id : '';
    this.describeDataset();
    this.describeImages(dataset);
    if (!dataset) return;
    if (dataset.images) {
      this.roles = {};
      this.columns = [];
      $('table-preview').replaceChildren();
      this.fillNetworkAndTraining(dataset.suggested);
      return;
    }
    $('csv-input').value = dataset.csv;
    this.roles = {};
    dataset.inputs.forEach((c) => { this.roles[c] = 'input'; });
    dataset.targets.forEach((c) => { this.roles[c] = 'target'; });
    this.fillNetworkAndTraining(dataset.suggested);
    this.preview();
  }

  describeDataset() {
    const dataset = this.dataset($('dataset-select').value);
    let text = dataset ? (dataset.description[lang] || dataset.description.en) : '';
    if (dataset && dataset.synthetic) text += ` (${t('data.synthetic')})`;
    $('dataset-description').textContent = text;
  }

  schedulePreview() {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.preview(), 250);
  }

  async preview() {
    const csv = $('csv-input').value;
    const seq = ++this.previewSeq;
    if (this.dataset($('dataset-select').value)?.images) return;
    clearErrors('data.');
    if (!csv.trim()) {
      this.pastedImages = null;
      this.columns = [];
      $('table-preview').replaceChildren();
      return;
    }
    const maxBytes = Number(document.body.dataset.maxPasteBytes || 0);
    if (maxBytes && new Blob([csv]).size > maxBytes) {
      showError('data.csv', t('error.pasteTooLargeClient', Math.round(maxBytes / 1048576)));
      return;
    }
    try {
      const table = await api('/api/tables/preview', { method: 'POST', body: { csv } });
      if (seq !== this.previewSeq) return;
      this.renderPreview(table);
    } catch (e) {
      if (seq !== this.previewSeq) return;
      this.columns = [];
      $('table-preview').replaceChildren();
      if (e instanceof ApiFailure) showError(e.field || 'data.csv', e.message);
      else throw e;
    }
  }

  renderPreview(table) {
    const layout = imageLayout(table.columns);
    const wasImages = Boolean(this.pastedImages);
    this.pastedImages = layout;
    if (layout && !wasImages) this.suggestConvNetwork(layout, table.distinct ? table.distinct[0] : 10);
    else if (!layout && wasImages) this.renderLayers(this.readLayers());
    if (layout) { // hundreds of pixel columns: the roles are fixed, the summary says what the images are
      this.columns = table.columns;
      this.roles = {};
      const info = document.createElement('p');
      info.className = 'hint';
      info.id = 'preview-info';
      info.textContent = t('images.csvInfo', layout.side, table.rows);
      $('table-preview').replaceChildren(info);
      return;
    }
    const fresh = table.columns.some((c) => !(c in this.roles));
    this.columns = table.columns;
    this.columnInfo = { numeric: table.numeric || [], distinct: table.distinct || [], strayText: table.strayText || [] };
    if (fresh) {
      this.roles = {};
      table.columns.forEach((c, i) => { this.roles[c] = i === table.columns.length - 1 ? 'target' : 'input'; });
      this.fitOutputToTargets();
    }
    const wrapper = document.createElement('div');
    const info = document.createElement('p');
    info.className = 'hint';
    info.id = 'preview-info';
    info.textContent = t('data.previewInfo', table.rows, table.columns.length)
      + (table.decimalComma ? ` · ${t('data.decimalComma')}` : '');
    const tableEl = document.createElement('table');
    tableEl.className = 'compact';
    tableEl.id = 'preview-table';
    const head = tableEl.createTHead();
    const names = head.insertRow();
    const roles = head.insertRow();
    roles.className = 'roles';
    for (const column of table.columns) {
      const th = document.createElement('th');
      th.textContent = column;
      names.appendChild(th);
      const cell = document.createElement('th');
      const select = document.createElement('select');
      select.dataset.column = column;
      select.className = 'role-select';
      select.setAttribute('aria-label', t('data.roleOf', column));
      for (const role of ['input', 'target', 'ignore']) {
        const option = document.createElement('option');
        option.value = role;
        option.textContent = t(`data.role.${role}`);
        select.appendChild(option);
      }
      select.value = this.roles[column] || 'ignore';
      select.addEventListener('change', () => {
        this.roles[column] = select.value;
        this.fitOutputToTargets();
      });
      cell.appendChild(select);
      roles.appendChild(cell);
    }
    const body = tableEl.createTBody();
    for (const row of table.preview) {
      const tr = body.insertRow();
      row.forEach((value) => { tr.insertCell().textContent = value; });
    }
    if (table.rows > table.preview.length) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = table.columns.length;
      td.className = 'hint';
      td.textContent = t('data.moreRows', table.rows - table.preview.length);
    }
    wrapper.append(info, tableEl);
    $('table-preview').replaceChildren(wrapper);
  }

  /**
   * Matches the output layer to the targets: one column of labels suggests cross-entropy with one
   * softmax unit per class; numeric targets, one unit per target column.
   */
  fitOutputToTargets() {
    const targets = this.columnsWithRole('target');
    const layers = this.readLayers();
    this.showStrayText(targets);
    if (!targets.length || !layers.length) return;
    const output = layers[layers.length - 1];
    const index = this.columns.indexOf(targets[0]);
    const stray = (this.columnInfo && this.columnInfo.strayText[index]) || [];
    // a column of numbers with a few text cells is a typo to fix, not a reason to classify
    if (targets.length === 1 && this.columnInfo && this.columnInfo.numeric[index] === false && !stray.length) {
      $('loss').value = 'crossentropy';
      output.units = this.columnInfo.distinct[index];
      output.activation = 'softmax';
    } else if ($('loss').value !== 'crossentropy') {
      output.units = targets.length;
    } else {
      return;
    }
    this.renderLayers(layers);
  }

  /** The text cells of a target column that holds numbers, named beside the columns: fix them first. */
  showStrayText(targets) {
    clearErrors('data.targets');
    for (const column of targets) {
      const stray = (this.columnInfo && this.columnInfo.strayText[this.columns.indexOf(column)]) || [];
      if (stray.length && !(this.classifyChosen && $('loss').value === 'crossentropy')) {
        showError('data.targets', t('error.strayText', column, stray.map((c) => `"${c.text}"`).join(', '),
          stray.map((c) => c.line).join(', ')));
        return;
      }
    }
  }

  /** Pasted images and a network without image layers: the course CNN (or a smaller one for small images). */
  suggestConvNetwork(layout, classes) {
    const layers = this.readLayers();
    if (layers.some((l) => l.type !== 'dense')) {
      this.renderLayers(layers);
      return;
    }
    const conv = (filters) => ({ type: 'conv2d', ...LAYER_FIELDS.conv2d, filters });
    const pool = { type: 'maxpool2d', ...LAYER_FIELDS.maxpool2d };
    const head = [{ type: 'flatten' }, { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dense', units: classes, activation: 'softmax' }];
    const body = layout.side >= 28 ? [conv(32), pool, conv(64), pool, conv(64)]
      : layout.side >= 10 ? [conv(16), pool] : [];
    // and the notebook's settings: Adam 0.001, batches of 32, a validation split to watch
    $('loss').value = 'crossentropy';
    $('optimizer').value = 'adam';
    $('learning-rate').value = '0.001';
    $('batch-size').value = '32';
    if (!parseNumber($('validation-split').value)) $('validation-split').value = '0.2';
    $('standardize').checked = false;
    this.renderLayers(body.concat(head));
  }

  columnsWithRole(role) {
    return this.columns.filter((c) => this.roles[c] === role);
  }

  renderLayers(layers) {
    const list = $('layers');
    list.replaceChildren();
    const images = this.isImages();
    layers.forEach((layer, index) => {
      const li = document.createElement('li');
      li.className = 'layer';
      li.dataset.type = layer.type || 'dense';
      const last = index === layers.length - 1;
      const title = document.createElement('span');
      title.className = 'layer-title';
      title.textContent = last ? t('network.outputLayer') : t('network.hiddenLayer', index + 1);
      const type = document.createElement('select');
      type.className = 'layer-type';
      type.dataset.field = `network.layers[${index}].type`;
      type.setAttribute('aria-label', t('layer.type'));
      const offered = fittingTypes(layers, index, images);
      if (!offered.includes(li.dataset.type)) offered.push(li.dataset.type); // as loaded: the server will say why not
      for (const name of LAYER_TYPES.filter((n) => offered.includes(n))) {
        const option = document.createElement('option');
        option.value = name;
        option.textContent = t(`layer.${name}`);
        type.appendChild(option);
      }
      type.value = li.dataset.type;
      type.addEventListener('change', () => {
        const current = this.readLayers();
        current[index] = { type: type.value, ...LAYER_FIELDS[type.value] };
        this.renderLayers(current);
      });
      const fields = [type];
      for (const field of Object.keys(LAYER_FIELDS[li.dataset.type])) {
        fields.push(this.layerField(index, field, layer[field] ?? LAYER_FIELDS[li.dataset.type][field]));
      }
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'icon remove-layer';
      remove.textContent = '×';
      remove.title = t('network.removeLayer');
      remove.disabled = layers.length === 1;
      remove.addEventListener('click', () => {
        const current = this.readLayers();
        current.splice(index, 1);
        this.renderLayers(current);
      });
      const moves = document.createElement('span');
      moves.className = 'moves';
      for (const [symbol, offset, key] of [['↑', -1, 'network.moveUp'], ['↓', 1, 'network.moveDown']]) {
        const move = document.createElement('button');
        move.type = 'button';
        move.className = 'icon move-layer';
        move.textContent = symbol;
        move.title = t(key);
        move.setAttribute('aria-label', t(key));
        move.disabled = index + offset < 0 || index + offset >= layers.length;
        move.addEventListener('click', () => {
          const current = this.readLayers();
          [current[index], current[index + offset]] = [current[index + offset], current[index]];
          this.renderLayers(current);
        });
        moves.appendChild(move);
      }
      remove.setAttribute('aria-label', t('network.removeLayer'));
      const error = document.createElement('div');
      error.className = 'field-error';
      error.dataset.errorFor = `network.layers[${index}]`;
      li.append(title, ...fields, moves, remove, error);
      list.appendChild(li);
    });
  }

  /** One labelled input of a layer: a number, or a choice for activation and padding. */
  layerField(index, field, value) {
    let input;
    if (field === 'activation' || field === 'padding') {
      input = document.createElement('select');
      const choices = field === 'activation' ? ACTIVATIONS : ['valid', 'same'];
      for (const name of choices) {
        const option = document.createElement('option');
        option.value = name;
        option.textContent = field === 'activation' ? t(`activation.${name}`) : name;
        input.appendChild(option);
      }
    } else {
      input = document.createElement('input');
      input.type = 'text';
      input.inputMode = field === 'rate' ? 'decimal' : 'numeric';
    }
    input.className = field;
    input.value = String(value);
    input.dataset.field = `network.layers[${index}].${field}`;
    const key = field === 'units' ? 'network.units' : field === 'activation' ? 'network.activation' : `layer.${field}`;
    input.setAttribute('aria-label', t(key));
    const label = document.createElement('label');
    label.append(t(key), ' ', input);
    return label;
  }

  readLayers() {
    return [...document.querySelectorAll('#layers .layer')].map((li) => {
      const type = li.querySelector('.layer-type').value;
      const layer = { type };
      for (const field of Object.keys(LAYER_FIELDS[type])) {
        const input = li.querySelector(`.${field}`);
        if (input) layer[field] = input.value;
      }
      return layer;
    });
  }

  fillNetworkAndTraining(spec) {
    if (spec.network) {
      this.renderLayers(spec.network.layers.map((l) => {
        const type = l.type || 'dense';
        const layer = { type, ...LAYER_FIELDS[type], ...l };
        if (type === 'dense' && !l.activation) layer.activation = 'linear';
        if (type === 'maxpool2d' && l.stride === undefined) layer.stride = layer.size;
        return layer;
      }));
    }
    const training = spec.training || {};
    const set = (id, value) => { if (value !== undefined) $(id).value = String(value); };
    set('loss', training.loss);
    this.classifyChosen = training.task === 'classification';
    set('optimizer', training.optimizer);
    set('learning-rate', training.learningRate);
    set('epochs', training.epochs);
    set('batch-size', training.batchSize ?? 0);
    set('validation-split', training.validationSplit ?? 0);
    set('seed', training.seed ?? 42);
    $('shuffle').checked = training.shuffle ?? true;
    $('standardize').checked = training.standardize ?? false;
    const early = training.earlyStopping;
    $('early-stopping-enabled').checked = Boolean(early);
    $('early-stopping-fields').hidden = !early;
    if (early) {
      set('es-monitor', early.monitor);
      set('es-patience', early.patience);
      set('es-min-delta', early.minDelta);
      $('es-restore').checked = Boolean(early.restoreBestWeights);
    }
  }

  /** Fills everything from a session's spec (its data from the session's table preview when pasted). */
  fillFromSession(session) {
    const spec = session.spec;
    if (spec.data.dataset) {
      this.pickDataset(spec.data.dataset);
      if (this.dataset(spec.data.dataset)?.images) $('training-rows').value = String(spec.data.trainingRows || 0);
    } else if (spec.data.csv) {
      $('csv-input').value = spec.data.csv;
    }
    this.roles = {};
    spec.data.inputs.forEach((c) => { this.roles[c] = 'input'; });
    spec.data.targets.forEach((c) => { this.roles[c] = 'target'; });
    session.data.inputs.forEach((c) => { this.roles[c] = 'input'; });
    session.data.targets.forEach((c) => { this.roles[c] = 'target'; });
    this.fillNetworkAndTraining(spec);
    if (!this.dataset(spec.data.dataset)?.images) this.renderPreview(session.data);
  }

  /** Fills the editor from a spec file (as GET /api/sessions/{id}/spec.json writes it); throws if it is not one. */
  fillFromSpec(spec) {
    const valid = spec && typeof spec === 'object' && spec.data && typeof spec.data === 'object'
      && (typeof spec.data.dataset === 'string' || typeof spec.data.csv === 'string')
      && spec.network && Array.isArray(spec.network.layers) && spec.network.layers.length > 0;
    if (!valid) throw new Error('not a spec');
    if (spec.data.dataset) {
      this.pickDataset(spec.data.dataset);
    } else {
      $('dataset-select').value = '';
      this.describeDataset();
      $('csv-input').value = spec.data.csv;
    }
    this.roles = {};
    (spec.data.inputs || []).forEach((c) => { this.roles[c] = 'input'; });
    (spec.data.targets || []).forEach((c) => { this.roles[c] = 'target'; });
    this.fillNetworkAndTraining(spec);
    this.preview();
  }

  /** The spec for POST /api/sessions; numbers a person typed are parsed, bad ones sent as text so the server names them. */
  readSpec() {
    const number = (id) => {
      const raw = $(id).value;
      const value = parseNumber(raw);
      return Number.isNaN(value) ? raw : value;
    };
    const datasetId = $('dataset-select').value;
    const data = datasetId ? { dataset: datasetId } : { csv: $('csv-input').value };
    if (this.isImages()) { // every pixel in, the label out: the server knows the layout
      data.inputs = [];
      data.targets = [];
      const rows = Number($('training-rows').value || 0);
      if (datasetId && rows > 0) data.trainingRows = rows;
    } else {
      data.inputs = this.columnsWithRole('input');
      data.targets = this.columnsWithRole('target');
    }
    return {
      data,
      network: {
        layers: this.readLayers().map((l) => {
          const layer = { ...l };
          for (const field of NUMERIC_FIELDS) {
            if (field in layer) {
              const value = parseNumber(layer[field]);
              layer[field] = Number.isNaN(value) ? layer[field] : value;
            }
          }
          return layer;
        }),
      },
      training: {
        loss: $('loss').value,
        optimizer: $('optimizer').value,
        learningRate: number('learning-rate'),
        epochs: number('epochs'),
        batchSize: number('batch-size'),
        validationSplit: number('validation-split'),
        seed: number('seed'),
        shuffle: $('shuffle').checked,
        standardize: $('standardize').checked,
        ...(this.classifyChosen && $('loss').value === 'crossentropy' ? { task: 'classification' } : {}),
        earlyStopping: $('early-stopping-enabled').checked ? {
          monitor: $('es-monitor').value,
          patience: number('es-patience'),
          minDelta: number('es-min-delta'),
          restoreBestWeights: $('es-restore').checked,
        } : null,
      },
    };
  }
}
