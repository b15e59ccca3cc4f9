// The editor: data (built-in or pasted, with a preview and column roles), the layers, the
// training settings. It reads the form into the API's spec and fills the form from a spec.
import { api, ApiFailure } from './api.js';
import { t, lang, parseNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';

export { showError, clearErrors };

const ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid', 'softmax'];
const $ = (id) => document.getElementById(id);

export class Editor {
  constructor() {
    this.datasets = [];
    this.columns = [];
    this.roles = {};
    this.previewTimer = null;
    this.previewSeq = 0;
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
      layers.splice(Math.max(0, layers.length - 1), 0, { units: 3, activation: 'relu' });
      this.renderLayers(layers);
    });
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
    if (!dataset) return;
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
    clearErrors('data.');
    if (!csv.trim()) {
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
    const fresh = table.columns.some((c) => !(c in this.roles));
    this.columns = table.columns;
    this.columnInfo = { numeric: table.numeric || [], distinct: table.distinct || [] };
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
    if (!targets.length || !layers.length) return;
    const output = layers[layers.length - 1];
    const index = this.columns.indexOf(targets[0]);
    if (targets.length === 1 && this.columnInfo && this.columnInfo.numeric[index] === false) {
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

  columnsWithRole(role) {
    return this.columns.filter((c) => this.roles[c] === role);
  }

  renderLayers(layers) {
    const list = $('layers');
    list.replaceChildren();
    layers.forEach((layer, index) => {
      const li = document.createElement('li');
      li.className = 'layer';
      const last = index === layers.length - 1;
      const title = document.createElement('span');
      title.className = 'layer-title';
      title.textContent = last ? t('network.outputLayer') : t('network.hiddenLayer', index + 1);
      const units = document.createElement('input');
      units.type = 'text';
      units.inputMode = 'numeric';
      units.className = 'units';
      units.value = layer.units;
      units.dataset.field = `network.layers[${index}].units`;
      units.setAttribute('aria-label', t('network.units'));
      const unitsLabel = document.createElement('label');
      unitsLabel.append(t('network.units'), ' ', units);
      const activation = document.createElement('select');
      activation.className = 'activation';
      activation.dataset.field = `network.layers[${index}].activation`;
      activation.setAttribute('aria-label', t('network.activation'));
      for (const name of ACTIVATIONS) {
        const option = document.createElement('option');
        option.value = name;
        option.textContent = t(`activation.${name}`);
        activation.appendChild(option);
      }
      activation.value = layer.activation;
      const activationLabel = document.createElement('label');
      activationLabel.append(t('network.activation'), ' ', activation);
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
      li.append(title, unitsLabel, activationLabel, moves, remove, error);
      list.appendChild(li);
    });
  }

  readLayers() {
    return [...document.querySelectorAll('#layers .layer')].map((li) => ({
      units: li.querySelector('.units').value,
      activation: li.querySelector('.activation').value,
    }));
  }

  fillNetworkAndTraining(spec) {
    if (spec.network) this.renderLayers(spec.network.layers.map((l) => ({ units: l.units, activation: l.activation || 'linear' })));
    const training = spec.training || {};
    const set = (id, value) => { if (value !== undefined) $(id).value = String(value); };
    set('loss', training.loss);
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
    } else if (spec.data.csv) {
      $('csv-input').value = spec.data.csv;
    }
    this.roles = {};
    spec.data.inputs.forEach((c) => { this.roles[c] = 'input'; });
    spec.data.targets.forEach((c) => { this.roles[c] = 'target'; });
    session.data.inputs.forEach((c) => { this.roles[c] = 'input'; });
    session.data.targets.forEach((c) => { this.roles[c] = 'target'; });
    this.fillNetworkAndTraining(spec);
    this.renderPreview(session.data);
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
    data.inputs = this.columnsWithRole('input');
    data.targets = this.columnsWithRole('target');
    return {
      data,
      network: {
        layers: this.readLayers().map((l) => {
          const units = parseNumber(l.units);
          return { type: 'dense', units: Number.isNaN(units) ? l.units : units, activation: l.activation };
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
