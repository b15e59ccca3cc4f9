// The training panel: loss, optimizer, learning rate, epochs, batches, validation, seed, the two
// switches and early stopping, all read, filled, checked and put in the URL through the field table.
import { $ } from './dom.js';
import { t } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { TRAINING_FIELDS, EARLY_STOPPING_FIELDS, ZERO_WHEN_ABSENT, readField, fillField, problem, fieldToUrl,
  fieldFromUrl } from './spec-fields.js';

const ALL_FIELDS = TRAINING_FIELDS.concat(EARLY_STOPPING_FIELDS);
const pathOf = (f) => (EARLY_STOPPING_FIELDS.includes(f) ? `training.earlyStopping.${f.path}` : `training.${f.path}`);

/** 12 s, 3 min 20 s, 1 h 5 min: a duration as a person says it. */
function durationText(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${Math.max(1, s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export class TrainingPanel {
  /** onChange(): after any change the person makes; onLossChosen(): after they pick a loss by hand. */
  constructor({ onChange, onLossChosen }) {
    this.onChange = onChange;
    // cross-entropy picked by the person (not suggested): an explicit classification, typos and all
    this.classifyChosen = false;
    for (const f of ALL_FIELDS) {
      $(f.id).addEventListener(f.kind === 'number' || f.kind === 'integer' ? 'input' : 'change', () => {
        this.check(f);
        onChange();
        this.showEstimate();
      });
    }
    $('loss').addEventListener('change', () => {
      this.classifyChosen = $('loss').value === 'crossentropy';
      onLossChosen();
    });
    $('early-stopping-enabled').addEventListener('change', () => {
      $('early-stopping-fields').hidden = !$('early-stopping-enabled').checked;
      onChange();
    });
  }

  /** The server's starting values: the settings a spec may leave out, early stopping when ticked. */
  useDefaults(defaults) {
    this.defaults = defaults;
    this.fill(defaults.training);
  }

  /** A number that is not one is said beside its field as it is typed (the server checks ranges). */
  check(f) {
    const path = pathOf(f);
    clearErrors(path);
    const key = problem(f);
    if (key) showError(path, t(key, JSON.stringify($(f.id).value)));
  }

  /** A spec's training settings; what it leaves out stays as the form holds it. */
  fill(training = {}, { zeroAbsent = true } = {}) {
    const absent = (f) => (zeroAbsent && ZERO_WHEN_ABSENT.includes(f.path) ? 0 : undefined);
    TRAINING_FIELDS.forEach((f) => fillField(f, training[f.path] ?? absent(f)));
    this.showEstimate();
    this.classifyChosen = training.task === 'classification';
    const early = training.earlyStopping;
    $('early-stopping-enabled').checked = Boolean(early);
    $('early-stopping-fields').hidden = !early;
    const shown = early || (this.defaults && this.defaults.earlyStopping) || {};
    EARLY_STOPPING_FIELDS.forEach((f) => fillField(f, shown[f.path]));
  }

  /** How long the run will take at the chosen pace, said before Train ("as fast as the machine goes" at 0). */
  showEstimate() {
    const pace = Number($('pace').value);
    const epochs = readField(TRAINING_FIELDS.find((f) => f.path === 'epochs'));
    $('pace-estimate').textContent = pace > 0 && typeof epochs === 'number' && epochs > 0
      ? t('training.paceEstimate', durationText(epochs / pace)) : t('training.paceFastest');
  }

  /** Cross-entropy picked by the person, not suggested by the data. */
  get classificationChosen() {
    return this.classifyChosen && $('loss').value === 'crossentropy';
  }

  read() {
    const training = {};
    TRAINING_FIELDS.forEach((f) => { training[f.path] = readField(f); });
    if (this.classificationChosen) training.task = 'classification';
    training.earlyStopping = null;
    if ($('early-stopping-enabled').checked) {
      training.earlyStopping = {};
      EARLY_STOPPING_FIELDS.forEach((f) => { training.earlyStopping[f.path] = readField(f); });
    }
    return training;
  }

  /** Writes the settings into URL parameters (early stopping's only when it is on). */
  toUrl(params) {
    TRAINING_FIELDS.forEach((f) => params.set(f.url, fieldToUrl(f)));
    const early = $('early-stopping-enabled').checked;
    params.set('es', early ? '1' : '0');
    EARLY_STOPPING_FIELDS.forEach((f) => { if (early) params.set(f.url, fieldToUrl(f)); else params.delete(f.url); });
  }

  /** The settings a URL holds; a value that is not one of the field's is skipped. */
  fromUrl(params) {
    const training = {};
    TRAINING_FIELDS.forEach((f) => { training[f.path] = fieldFromUrl(f, params.get(f.url)); });
    if (params.get('es') === '1') {
      training.earlyStopping = { ...(this.defaults ? this.defaults.earlyStopping : {}) };
      EARLY_STOPPING_FIELDS.forEach((f) => {
        const value = fieldFromUrl(f, params.get(f.url));
        if (value !== undefined) training.earlyStopping[f.path] = value;
      });
    } else if (params.get('es') !== '0') {
      training.earlyStopping = $('early-stopping-enabled').checked ? this.read().earlyStopping : null;
    }
    this.fill(training, { zeroAbsent: false }); // what the URL leaves out stays as the form holds it
  }

  /** The URL names every setting it holds: whether it has training settings at all. */
  static inUrl(params) {
    return TRAINING_FIELDS.some((f) => params.has(f.url));
  }

  /** A class's locked settings (paths like training.learningRate): shown, not editable. */
  lock(paths) {
    TRAINING_FIELDS.filter((f) => paths.includes(`training.${f.path}`)).forEach((f) => {
      const control = $(f.id);
      control.disabled = true;
      control.title = t('class.lockedHint');
      control.classList.add('locked');
    });
  }
}
