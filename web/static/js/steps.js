// Step-by-step gradient descent: the student advances one step at a time and sees predictions,
// loss, every gradient, the update w ← w − η·∂L/∂w and the new loss. The server recomputes the
// steps from the seeded start each time, so Reset (step 0) brings the same numbers back.
import { api, ApiFailure } from './api.js';
import { t, formatNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { $ } from './dom.js';
import { NetworkDiagram } from './network-diagram.js';

function cells(row, values, header = false) {
  values.forEach((v) => {
    const cell = document.createElement(header ? 'th' : 'td');
    cell.textContent = v;
    row.appendChild(cell);
  });
}

function fill(table, header, rows) {
  table.replaceChildren();
  cells(table.createTHead().insertRow(), header, true);
  const body = table.createTBody();
  rows.forEach((r) => cells(body.insertRow(), r));
}

const exact = (v) => (v === undefined || v === null ? '—' : formatNumber(Number(v)));

export class Stepper {
  constructor(readSpec) {
    this.readSpec = readSpec;
    this.diagram = new NetworkDiagram($('step-diagram'), $('step-tip'));
    this.step = 0;
    this.losses = [];
    $('steps-button').addEventListener('click', () => this.open());
    $('next-step').addEventListener('click', () => this.go(this.step + 1));
    $('reset-steps').addEventListener('click', () => { this.losses = []; this.go(0); });
    $('close-steps').addEventListener('click', () => { $('steps-panel').hidden = true; });
  }

  async open() {
    $('steps-panel').hidden = false;
    this.losses = [];
    await this.go(0);
    $('steps-panel').scrollIntoView({ block: 'start' });
  }

  async go(step) {
    clearErrors();
    $('next-step').disabled = true;
    try {
      const answer = await api('/api/steps', { method: 'POST', body: { ...this.readSpec(), step } });
      this.step = step;
      if (step === 0) this.losses = [answer.lossBefore];
      else this.losses[step] = answer.lossAfter;
      this.render(answer);
    } catch (e) {
      if (e instanceof ApiFailure) showError(e.field === 'step' ? 'step' : (e.field || ''), e.message);
      else showError('', t('error.network'));
      if (e instanceof ApiFailure && e.field !== 'step') $('steps-panel').hidden = true;
    } finally {
      $('next-step').disabled = false;
    }
  }

  render(s) {
    // the main view: the network with this step's weights, ∂L/∂w on every line and node
    this.diagram.setStructure({ inputs: s.inputs, outputs: s.outputs, sizes: s.layers.map((l) => l.before.biases.length) });
    this.diagram.update(s.layers.map((l) => l.before), s.step === 0 ? null : s.layers.map((l) => l.gradient));
    const panel = $('steps-panel');
    panel.dataset.step = String(s.step);
    $('step-heading').textContent = s.step === 0
      ? t('steps.start', formatNumber(s.lossBefore))
      : t('steps.heading', s.step, formatNumber(s.lossBefore), formatNumber(s.lossAfter));
    $('step-formula').textContent = s.optimizer === 'sgd'
      ? `w ← w − η · ∂L/∂w   (η = ${formatNumber(s.learningRate)})`
      : t('steps.otherOptimizer', s.optimizer, formatNumber(s.learningRate));
    const known = this.losses.map((l, i) => (l === undefined ? null : `${i}: ${formatNumber(l)}`)).filter(Boolean);
    $('step-losses').textContent = `${t('steps.losses')} ${known.join(' → ')}`;
    const header = s.inputs.concat(s.outputs.flatMap((o) => [o, `ŷ ${o}`]));
    fill($('step-predictions'), header, s.x.map((row, r) => row.map(formatNumber)
      .concat(s.outputs.flatMap((o, u) => [formatNumber(s.y[r][u]), formatNumber(s.predictions[r][u])]))));
    const rows = [];
    s.layers.forEach((layer, l) => {
      const from = l === 0 ? s.inputs : layer.before.weights.map((_, i) => `h${l}.${i + 1}`);
      const to = (u) => (l === s.layers.length - 1 ? s.outputs[u] : `h${l + 1}.${u + 1}`);
      const value = (part, i, u) => (layer[part] ? (i === null ? layer[part].biases[u] : layer[part].weights[i][u]) : undefined);
      layer.before.biases.forEach((_, u) => {
        from.forEach((name, i) => rows.push([layer.name, `w ${name} → ${to(u)}`, exact(value('before', i, u)),
          exact(value('gradient', i, u)), exact(value('update', i, u)), exact(value('after', i, u))]));
        rows.push([layer.name, `b ${to(u)}`, exact(value('before', null, u)), exact(value('gradient', null, u)),
          exact(value('update', null, u)), exact(value('after', null, u))]);
      });
    });
    fill($('step-parameters'), [t('steps.layer'), t('steps.parameter'), 'w', '∂L/∂w',
      s.optimizer === 'sgd' ? 'η · ∂L/∂w' : 'Δw', t('steps.newValue')], rows);
  }
}
