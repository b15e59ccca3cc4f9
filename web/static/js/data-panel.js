// The data panel: a built-in data set or a pasted/loaded table, its preview with a role per column
// (input, target, ignore), and for image sets their sizes, the subset to train on and the
// Fashion-MNIST download.
import { api, ApiFailure } from './api.js';
import { $, el } from './dom.js';
import { t, lang, formatNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';

/** Whether the data is images ({side}) or a table (null), from a data set or from pasted columns. */
export function imageLayout(columns) {
  const pixels = columns.length - 1;
  const side = Math.round(Math.sqrt(pixels));
  if (pixels < 4 || side * side !== pixels || columns[0].trim().toLowerCase() !== 'label') return null;
  for (let i = 1; i <= pixels; i++) if (columns[i].trim().toLowerCase() !== `pixel${i}`) return null;
  return { side };
}

const maxPasteBytes = () => Number(document.body.dataset.maxPasteBytes || 0);

export class DataPanel {
  /**
   * onTable({ layout, wasImages, fresh }): a new preview is shown; onRoles(): a column's role
   * changed; onChange(): anything changed.
   */
  constructor({ onTable, onRoles, onChange }) {
    this.onTable = onTable;
    this.onRoles = onRoles;
    this.onChange = onChange;
    this.datasets = [];
    this.columns = [];
    this.roles = {};
    this.columnInfo = null;
    this.pastedImages = null;
    this.previewTimer = null;
    this.previewSeq = 0;
    $('dataset-select').addEventListener('change', () => this.onPick($('dataset-select').value));
    document.querySelectorAll('#features-box input[data-feature]').forEach((c) => c.addEventListener('change', () => onChange()));
    $('csv-input').addEventListener('input', () => {
      const picked = this.picked();
      if (picked && $('csv-input').value !== picked.csv) $('dataset-select').value = '';
      this.describeDataset();
      this.schedulePreview();
      onChange();
    });
    $('download-fashion').addEventListener('click', () => this.downloadFashion());
    $('csv-file').addEventListener('change', () => this.loadFile($('csv-file').files[0]));
  }

  /** What to do when the person picks a data set: set by the editor (it fills the network too). */
  set picker(pick) {
    this.onPick = pick;
  }

  async load() {
    this.datasets = await api('/api/datasets');
    $('dataset-select').append(...this.datasets.map((d) => new Option(d.name[lang] || d.name.en, d.id)));
  }

  dataset(id) {
    return this.datasets.find((d) => d.id === id);
  }

  /** The built-in data set chosen, or undefined for a pasted table. */
  picked() {
    return this.dataset($('dataset-select').value);
  }

  /** Whether the data is images: an image data set, or a pasted table in the label,pixel1,… layout. */
  isImages() {
    const dataset = this.picked();
    return dataset ? Boolean(dataset.images) : Boolean(this.pastedImages);
  }

  /** Shows a built-in data set (its table in the box and its preview, or its image options). */
  show(dataset) {
    $('dataset-select').value = dataset ? dataset.id : '';
    this.describeDataset();
    this.describeImages(dataset);
    if (!dataset) return;
    this.roles = {};
    if (dataset.images) {
      this.columns = [];
      $('table-preview').replaceChildren();
      return;
    }
    $('csv-input').value = dataset.csv;
    this.setRoles(dataset.inputs, dataset.targets);
  }

  /** A pasted table (a spec's or a session's). */
  showTable(csv) {
    $('dataset-select').value = '';
    this.describeDataset();
    this.describeImages(null);
    $('csv-input').value = csv;
  }

  setRoles(inputs, targets) {
    this.roles = {};
    inputs.forEach((c) => { this.roles[c] = 'input'; });
    targets.forEach((c) => { this.roles[c] = 'target'; });
  }

  columnsWithRole(role) {
    return this.columns.filter((c) => this.roles[c] === role);
  }

  /** The text cells found in a column that otherwise holds numbers (typos). */
  strayText(column) {
    return (this.columnInfo && this.columnInfo.strayText[this.columns.indexOf(column)]) || [];
  }

  /** Whether a column holds labels (not numbers), and how many different ones. */
  labels(column) {
    const index = this.columns.indexOf(column);
    if (!this.columnInfo || this.columnInfo.numeric[index] !== false) return null;
    return { distinct: this.columnInfo.distinct[index] };
  }

  /** A CSV file (an image set in the label,pixel1,… layout, say) read into the table box, within the paste limit. */
  async loadFile(file) {
    if (!file) return;
    clearErrors('data.');
    if (maxPasteBytes() && file.size > maxPasteBytes()) {
      showError('data.csv', t('error.pasteTooLargeClient', Math.round(maxPasteBytes() / 1048576)));
      return;
    }
    this.showTable(await file.text());
    $('csv-file').value = '';
    await this.preview();
    this.onChange();
  }

  /** Selects how many training images are used; a number the list lacks (a spec from the API) joins it in order. */
  showTrainingRows(rows) {
    const select = $('training-rows');
    const value = String(rows);
    if (![...select.options].some((option) => option.value === value)) {
      const after = [...select.options].find((option) => option.value === '0' || Number(option.value) > rows);
      select.add(new Option(formatNumber(rows), value), after || null);
    }
    select.value = value;
  }

  /** Shows an image data set's sizes, class names, subset choice and (for Fashion-MNIST) the download. */
  describeImages(dataset) {
    $('image-options').hidden = !dataset || !dataset.images;
    $('generate-box').hidden = Boolean(dataset && dataset.images);
    $('table-input').hidden = Boolean(dataset && dataset.images);
    if (!dataset || !dataset.images) return;
    const images = dataset.images;
    const names = images.classNames[lang] || images.classNames.en;
    $('image-info').textContent = t('images.info', images.side, images.side, names.length, names.join(', '),
      images.train, images.test);
    const sizes = [500, 1000, 5000, 10000, 20000].filter((n) => n < images.train).concat([0]);
    $('training-rows').replaceChildren(...sizes.map((size) => new Option(
      size === 0 ? t('images.all', images.train) : formatNumber(size), String(size))));
    this.showTrainingRows(images.trainingRows || 0);
    $('fashion-download').hidden = images.available === true && images.state !== 'downloading';
    this.showDownloadState(images);
  }

  showDownloadState(images) {
    const states = { available: 'images.downloaded', downloading: 'images.downloading' };
    let text = t(states[images.state] || (images.canDownload === false ? 'images.localMissing' : 'images.missing'));
    if (images.state === 'failed' && images.error) text = images.error;
    const progress = images.state === 'downloading' && images.progress;
    if (progress) {
      const megabytes = (bytes) => formatNumber(Math.round(bytes / 1e5) / 10);
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

  describeDataset() {
    const dataset = this.picked();
    let text = dataset ? (dataset.description[lang] || dataset.description.en) : '';
    if (dataset && dataset.synthetic) text += ` (${t('data.synthetic')})`;
    $('dataset-description').textContent = text;
  }

  schedulePreview() {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.preview(), 250);
  }

  /** Asks the server how it reads the table box, and shows it. */
  async preview() {
    const csv = $('csv-input').value;
    const seq = ++this.previewSeq;
    if (this.picked()?.images) return;
    clearErrors('data.');
    if (!csv.trim()) {
      this.pastedImages = null;
      this.columns = [];
      $('table-preview').replaceChildren();
      return;
    }
    if (maxPasteBytes() && new Blob([csv]).size > maxPasteBytes()) {
      showError('data.csv', t('error.pasteTooLargeClient', Math.round(maxPasteBytes() / 1048576)));
      return;
    }
    try {
      const table = await api('/api/tables/preview', { method: 'POST', body: { csv } });
      if (seq === this.previewSeq) this.renderPreview(table);
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
    this.columns = table.columns;
    if (layout) { // hundreds of pixel columns: the roles are fixed, the summary says what the images are
      this.roles = {};
      $('table-preview').replaceChildren(el('p', { className: 'hint', id: 'preview-info',
        text: t('images.csvInfo', layout.side, table.rows) }));
      this.onTable({ layout, wasImages, fresh: false, classes: table.distinct ? table.distinct[0] : 10 });
      return;
    }
    const fresh = table.columns.some((c) => !(c in this.roles));
    this.decimalComma = Boolean(table.decimalComma);
    this.columnInfo = { numeric: table.numeric || [], distinct: table.distinct || [], strayText: table.strayText || [] };
    if (fresh) {
      this.roles = {};
      table.columns.forEach((c, i) => { this.roles[c] = i === table.columns.length - 1 ? 'target' : 'input'; });
    }
    const info = el('p', { className: 'hint', id: 'preview-info', text: t('data.previewInfo', table.rows, table.columns.length)
      + (table.decimalComma ? ` · ${t('data.decimalComma')}` : '') });
    const tableEl = el('table', { className: 'compact', id: 'preview-table' });
    const head = tableEl.createTHead();
    head.append(el('tr', {}, ...table.columns.map((column) => el('th', { text: column }))),
      el('tr', { className: 'roles' }, ...table.columns.map((column) => el('th', {}, this.roleSelect(column)))));
    const body = tableEl.createTBody();
    table.preview.forEach((row) => body.append(el('tr', {}, ...row.map((value) => el('td', { text: value })))));
    if (table.rows > table.preview.length) {
      body.append(el('tr', {}, el('td', { colSpan: table.columns.length, className: 'hint',
        text: t('data.moreRows', table.rows - table.preview.length) })));
    }
    $('table-preview').replaceChildren(el('div', {}, info, tableEl));
    this.showFeatures();
    this.onTable({ layout: null, wasImages, fresh });
  }

  /**
   * The table's points for drawing before training (the server parses the table for training; this
   * only draws it): inputs and targets as numbers, the target's classes when it is one of labels,
   * and which rows will validate (the last ones). Null when there is nothing to draw.
   */
  points(validationSplit) {
    const inputs = this.columnsWithRole('input');
    const targets = this.columnsWithRole('target');
    if (this.isImages() || !inputs.length || targets.length !== 1) return null;
    const lines = $('csv-input').value.split(/\r?\n/).filter((line) => line.trim());
    if (lines.length < 2 || lines.length > 5001) return null;
    const separator = [';', '\t', ','].find((c) => lines[0].includes(c)) || ',';
    const header = lines[0].split(separator).map((c) => c.trim().replace(/^"|"$/g, ''));
    const number = (text) => Number(this.decimalComma ? text.replace(',', '.') : text);
    const at = (name) => header.indexOf(name);
    const rows = lines.slice(1).map((line) => line.split(separator).map((c) => c.trim().replace(/^"|"$/g, '')));
    const x = rows.map((cells) => inputs.map((name) => number(cells[at(name)])));
    if (x.some((row) => row.some((v) => !Number.isFinite(v)))) return null;
    const labels = rows.map((cells) => cells[at(targets[0])]);
    const numeric = labels.every((v) => Number.isFinite(number(v)));
    const classes = [...new Set(labels)].sort();
    const classification = !numeric || (classes.length <= 10 && labels.every((v) => Number.isInteger(number(v))));
    const y = classification ? labels.map((v) => classes.map((c) => (c === v ? 1 : 0))) : labels.map((v) => [number(v)]);
    const validationRows = Math.floor(rows.length * (Number(validationSplit) || 0));
    return { inputs, targets, outputs: classification ? classes : targets, classes: classification ? classes : [],
      classNames: classification ? classes : [], task: classification ? 'classification' : 'regression', x, y,
      trainRows: rows.length - validationRows, validationRows };
  }

  roleSelect(column) {
    const select = el('select', { className: 'role-select', dataset: { column }, 'aria-label': t('data.roleOf', column),
      on: { change: () => { this.roles[column] = select.value; this.showFeatures(); this.onRoles(); } } },
    ...['input', 'target', 'ignore'].map((role) => new Option(t(`data.role.${role}`), role)));
    select.value = this.roles[column] || 'ignore';
    return select;
  }

  /** The spec's data: the data set (and image subset) or the table, with the columns' roles. */
  read() {
    const dataset = this.picked();
    const data = dataset ? { dataset: dataset.id } : { csv: $('csv-input').value };
    if (this.isImages()) { // every pixel in, the label out: the server knows the layout
      data.inputs = [];
      data.targets = [];
      const rows = Number($('training-rows').value || 0);
      if (dataset && rows > 0) data.trainingRows = rows;
    } else {
      data.inputs = this.columnsWithRole('input');
      data.targets = this.columnsWithRole('target');
      const features = this.features();
      if (features.length) data.features = features;
    }
    return data;
  }

  /** The derived inputs ticked, when the table has two inputs (they need two). */
  features() {
    if (this.isImages() || this.columnsWithRole('input').length !== 2) return [];
    return [...document.querySelectorAll('#features-box input[data-feature]')].filter((c) => c.checked)
      .map((c) => c.dataset.feature);
  }

  /** Ticks a spec's derived inputs (none when it has none). */
  setFeatures(ids = []) {
    document.querySelectorAll('#features-box input[data-feature]').forEach((c) => { c.checked = ids.includes(c.dataset.feature); });
    this.showFeatures();
  }

  /** Offers the derived inputs for two input columns, named after them (temperature², temperature·humidity…). */
  showFeatures() {
    const inputs = this.isImages() ? [] : this.columnsWithRole('input');
    $('features-box').hidden = inputs.length !== 2;
    if (inputs.length !== 2) return;
    const [x, y] = inputs;
    const names = { x2: `${x}²`, y2: `${y}²`, xy: `${x}·${y}`, sinx: `sin ${x}`, siny: `sin ${y}` };
    document.querySelectorAll('#features-box [data-label]').forEach((label) => { label.textContent = names[label.dataset.label]; });
  }

  /** A class's locked data: the data set and the table cannot change. */
  lock() {
    for (const id of ['dataset-select', 'csv-input', 'csv-file']) {
      $(id).disabled = true;
      $(id).title = t('class.lockedHint');
      $(id).classList.add('locked');
    }
  }
}
