// The grid-search form in the editor: fields to vary with their values, the number of folds, and
// a Search button that starts GridSearchCV on the server and opens its page.
import { api, ApiFailure } from './api.js';
import { t, parseNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { $ } from './dom.js';
import { rememberSearch } from './owned.js';

const TRAINING_FIELDS = ['learningRate', 'batchSize', 'epochs', 'optimizer'];

/** Values typed as "0.001; 0.01; 0,1" or "sgd adam": numbers where they parse, else text. */
export function parseValues(text) {
  return text.split(/[;\s]+/).filter(Boolean).map((token) => {
    const number = parseNumber(token);
    return Number.isNaN(number) ? token : number;
  });
}

export class GridForm {
  constructor(readSpec, layerCount) {
    this.readSpec = readSpec;
    this.layerCount = layerCount;
    $('grid-enabled').addEventListener('change', () => {
      $('grid-fields').hidden = !$('grid-enabled').checked;
      if ($('grid-enabled').checked && !$('grid-rows').children.length) this.addRow('training.learningRate', '');
    });
    $('grid-add').addEventListener('click', () => this.addRow('training.batchSize', ''));
    $('search-button').addEventListener('click', () => this.search());
  }

  options() {
    const paths = TRAINING_FIELDS.map((f) => [`training.${f}`, t(`grid.field.${f}`)]);
    for (let l = 0; l < this.layerCount(); l++) {
      paths.push([`network.layers[${l}].units`, t('grid.field.units', l + 1)]);
    }
    return paths;
  }

  addRow(path, values) {
    const li = document.createElement('li');
    li.className = 'grid-row';
    const select = document.createElement('select');
    select.className = 'grid-param';
    select.setAttribute('aria-label', t('grid.parameter'));
    this.options().forEach(([value, label]) => select.add(new Option(label, value, false, value === path)));
    const input = document.createElement('input');
    input.type = 'text';
    input.className = 'grid-values';
    input.value = values;
    input.placeholder = '0.001; 0.01; 0.1';
    input.setAttribute('aria-label', t('grid.values'));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'icon';
    remove.textContent = '✕';
    remove.title = t('grid.remove');
    remove.addEventListener('click', () => li.remove());
    li.append(select, input, remove);
    $('grid-rows').appendChild(li);
  }

  readGrid() {
    const grid = {};
    document.querySelectorAll('#grid-rows .grid-row').forEach((row) => {
      grid[row.querySelector('.grid-param').value] = parseValues(row.querySelector('.grid-values').value);
    });
    return grid;
  }

  async search() {
    clearErrors();
    const folds = parseNumber($('grid-folds').value);
    const body = { ...this.readSpec(), grid: this.readGrid(), folds: Number.isNaN(folds) ? $('grid-folds').value : folds };
    $('search-button').disabled = true;
    try {
      const created = await api('/api/searches', { method: 'POST', body });
      rememberSearch(created.id);
      location.href = created.url;
    } catch (e) {
      if (e instanceof ApiFailure) showError(e.field || '', e.message);
      else showError('', t('error.network'));
    } finally {
      $('search-button').disabled = false;
    }
  }
}
