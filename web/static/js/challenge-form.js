// A challenge's form: the teacher creates one on the board or edits one on its page. It reads the
// starting session by its link (its spec.json), sends the fields the API takes, and shows each
// refusal beside the field it names.
import { api, ApiFailure } from './api.js';
import { t, parseNumber, formatForInput } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { el } from './dom.js';

const LOCKABLE = ['network', 'training.loss', 'training.optimizer', 'training.learningRate', 'training.epochs',
  'training.batchSize', 'training.validationSplit'];
const HIGHER_IS_BETTER = { test_accuracy: true, test_r2: true, test_loss: false, test_mae: false, test_mse: false };

/** A session's id from its link (…/s/ID) or the id itself. */
export function sessionIdOf(text) {
  return (String(text).trim().match(/([A-Za-z0-9_-]{10,64})\/?$/) || [])[1];
}

/** ms since the epoch as a datetime-local input's value, in the reader's time zone. */
function localInput(millis) {
  const d = new Date(millis);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export class ChallengeForm {
  /**
   * @param form     the form element (the challengeForm fragment)
   * @param classCode the class it belongs to
   * @param onSaved  called with the API's answer
   * @param existing the challenge being edited (its definition), or null to create one
   */
  constructor(form, classCode, onSaved, existing = null) {
    this.form = form;
    this.classCode = classCode;
    this.onSaved = onSaved;
    this.existing = existing;
    this.field = (name) => form.elements.namedItem(name);
    this.locks = form.querySelector('.ch-locks');
    this.locks.replaceChildren(...LOCKABLE.map((path) => el('label', { className: 'check' },
      el('input', { type: 'checkbox', value: path }), `${t('class.lock')} ${path}`)));
    this.field('metric').addEventListener('change', () => {
      this.field('op').value = HIGHER_IS_BETTER[this.field('metric').value] ? '>=' : '<=';
    });
    form.addEventListener('submit', (event) => { event.preventDefault(); this.submit(); });
    if (existing) this.fill(existing);
  }

  /** The form as the challenge is now (editing: the starting session stays unless a new link is given). */
  fill(c) {
    this.existing = c;
    this.field('title-es').value = c.titles.es;
    this.field('title-en').value = c.titles.en;
    this.field('instructions-es').value = c.instructionsByLanguage.es;
    this.field('instructions-en').value = c.instructionsByLanguage.en;
    this.field('session').value = '';
    this.form.querySelector('#ch-session-hint').textContent = t('challenge.keepData');
    this.field('fraction').value = formatForInput(Math.round(c.testFraction * 100));
    this.field('seed').value = c.seed ?? '';
    // an image set's held-out part is its own test split: nothing to cut again (unless another session is linked)
    this.field('fraction').disabled = c.testSplit;
    this.field('seed').disabled = c.testSplit;
    this.field('metric').value = c.target.metric;
    this.field('op').value = c.target.op;
    this.field('value').value = formatForInput(c.target.value);
    this.field('maxParameters').value = c.constraints.maxParameters ?? '';
    this.field('maxEpochs').value = c.constraints.maxEpochs ?? '';
    this.field('optimizer').value = c.constraints.optimizer ?? '';
    this.field('deadline').value = c.deadline ? localInput(c.deadline) : '';
    this.field('attempts').value = c.attempts ?? '';
    this.locks.querySelectorAll('input').forEach((box) => { box.checked = c.locked.includes(box.value); });
    this.form.querySelector('.ch-open-now').hidden = true;
    this.form.querySelector('#ch-submit').textContent = t('challenge.save');
  }

  /** The request's body: every field (a number typed with a comma reads as one). */
  async body() {
    const number = (name) => {
      const text = this.field(name).value.trim();
      return text === '' ? null : parseNumber(text);
    };
    const body = {
      title: { es: this.field('title-es').value, en: this.field('title-en').value },
      instructions: { es: this.field('instructions-es').value, en: this.field('instructions-en').value },
      target: { metric: this.field('metric').value, op: this.field('op').value, value: number('value') },
      constraints: { maxParameters: number('maxParameters'), maxEpochs: number('maxEpochs'),
        optimizer: this.field('optimizer').value || null },
      deadline: this.field('deadline').value ? new Date(this.field('deadline').value).toISOString() : null,
      attempts: number('attempts'),
      locked: [...this.locks.querySelectorAll('input:checked')].map((b) => b.value),
    };
    if (Number.isNaN(body.target.value)) body.target.value = this.field('value').value; // the server names it
    const link = this.field('session').value;
    const fraction = number('fraction');
    const seed = number('seed');
    if (!this.existing || link.trim()) {
      const id = sessionIdOf(link);
      if (!id) throw new ApiFailure(400, 'spec', t('error.required'));
      body.spec = await api(`/api/sessions/${encodeURIComponent(id)}/spec.json`);
      body.testFraction = fraction === null ? null : fraction / 100;
      body.seed = seed;
    } else if (!this.existing.testSplit) {
      if (fraction !== null && Math.abs(fraction / 100 - this.existing.testFraction) > 1e-9) body.testFraction = fraction / 100;
      if (seed !== null && seed !== this.existing.seed) body.seed = seed;
    }
    if (!this.existing) body.state = this.field('openNow').checked ? 'open' : 'draft';
    return body;
  }

  async submit() {
    clearErrors();
    const status = this.form.querySelector('.ch-status');
    status.textContent = '';
    const button = this.form.querySelector('#ch-submit');
    button.disabled = true;
    try {
      const body = await this.body();
      const path = `/api/classes/${encodeURIComponent(this.classCode)}/challenges`;
      const saved = this.existing
        ? await api(`${path}/${encodeURIComponent(this.existing.id)}`, { method: 'PATCH', body })
        : await api(path, { method: 'POST', body });
      status.textContent = t('challenge.saved');
      this.onSaved(saved);
    } catch (e) {
      if (e instanceof ApiFailure) showError(e.field || '', e.message);
      else showError('', t('error.network'));
    } finally {
      button.disabled = false;
    }
  }
}
