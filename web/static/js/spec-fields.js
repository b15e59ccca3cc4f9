// The training settings of the editor, described once: where each sits in the spec, the control
// that shows it, what kind of value it holds, the message when it is not one, and its short name
// in a shareable URL. Reading the form, filling it, checking it as one types and the URL state
// all come from this table (as TensorFlow Playground's state.ts does for its page).
import { $ } from './dom.js';
import { parseNumber, formatForInput, t } from './i18n.js';

const field = (path, id, kind, url, message) => ({ path, id, kind, url, message });

export const TRAINING_FIELDS = [
  field('loss', 'loss', 'choice', 'loss'),
  field('optimizer', 'optimizer', 'choice', 'optimizer'),
  field('learningRate', 'learning-rate', 'number', 'lr', 'error.notNumber'),
  field('epochs', 'epochs', 'integer', 'epochs', 'error.notInteger'),
  field('batchSize', 'batch-size', 'integer', 'batch', 'error.notInteger'),
  field('validationSplit', 'validation-split', 'number', 'validation', 'error.notNumber'),
  field('seed', 'seed', 'integer', 'seed', 'error.notInteger'),
  field('shuffle', 'shuffle', 'flag', 'shuffle'),
  field('standardize', 'standardize', 'flag', 'standardize'),
  field('l1', 'l1', 'number', 'l1', 'error.notNumber'),
  field('l2', 'l2', 'number', 'l2', 'error.notNumber'),
  field('pace', 'pace', 'pace', 'pace'),
];

/** Settings a spec leaves out when they are off: absent means 0, not "keep what the form holds". */
export const ZERO_WHEN_ABSENT = ['l1', 'l2', 'pace'];

export const EARLY_STOPPING_FIELDS = [
  field('monitor', 'es-monitor', 'choice', 'esMonitor'),
  field('patience', 'es-patience', 'integer', 'esPatience', 'error.notInteger'),
  field('minDelta', 'es-min-delta', 'number', 'esMinDelta', 'error.notNumber'),
  field('restoreBestWeights', 'es-restore', 'flag', 'esRestore'),
];

/** The value a control holds: a choice, a flag, a parsed number (the text as typed when it is not one). */
export function readField(f) {
  const control = $(f.id);
  if (f.kind === 'flag') return control.checked;
  if (f.kind === 'choice') return control.value;
  if (f.kind === 'pace') return Number(control.value);
  const value = parseNumber(control.value);
  return Number.isNaN(value) ? control.value : value;
}

/** Puts a value in its control; undefined leaves the control as it is. */
export function fillField(f, value) {
  if (value === undefined || value === null) return;
  const control = $(f.id);
  if (f.kind === 'flag') control.checked = Boolean(value);
  else if (f.kind === 'pace') {
    // a pace the list does not offer (set through the API) is added to it
    if (![...control.options].some((o) => Number(o.value) === Number(value))) {
      control.append(new Option(t('training.paceValue', Number(value)), String(value)));
    }
    control.value = [...control.options].find((o) => Number(o.value) === Number(value)).value;
  } else control.value = f.kind === 'choice' ? String(value) : formatForInput(value); // 0,1 on a Spanish page
}

/** What is wrong with the typed value, as a message key, or null (the server checks ranges). */
export function problem(f) {
  if (f.kind !== 'number' && f.kind !== 'integer') return null;
  const value = readField(f);
  if (typeof value !== 'number') return f.message;
  return f.kind === 'integer' && !Number.isInteger(value) ? f.message : null;
}

/** The value as a URL writes it (numbers with a decimal point, whatever the page's language). */
export function fieldToUrl(f) {
  const value = readField(f);
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

/** A URL's text as the field's value, or undefined when it is not one. */
export function fieldFromUrl(f, text) {
  if (text === null) return undefined;
  if (f.kind === 'flag') return text === '1' || text === 'true';
  if (f.kind === 'choice') return [...$(f.id).options].some((o) => o.value === text) ? text : undefined;
  const value = parseNumber(text);
  if (f.kind === 'pace') return Number.isNaN(value) || value < 0 ? undefined : value;
  return Number.isNaN(value) ? undefined : value;
}
