// Renders a finished run: metrics, time, equation, summary, weights, predictions, confusion matrix.
import { t, formatNumber, formatForInput } from './i18n.js';
import { summaryText } from './console.js';
import { $ } from './dom.js';

function table(el, header, rows) {
  el.replaceChildren();
  if (header) {
    const tr = el.createTHead().insertRow();
    header.forEach((h) => { const th = document.createElement('th'); th.textContent = h; tr.appendChild(th); });
  }
  const body = el.createTBody();
  rows.forEach((row) => {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = i === 0 && header === null ? document.createElement('th') : tr.ownerDocument.createElement('td');
      td.textContent = cell;
      tr.appendChild(td);
    });
  });
}

const METRIC_ORDER = ['loss', 'val_loss', 'mse', 'val_mse', 'mae', 'val_mae', 'r2', 'val_r2', 'accuracy', 'val_accuracy',
  'test_loss', 'test_accuracy', 'test_mse', 'test_mae', 'test_r2'];

const MAX_NUMBER_COLUMNS = 12;

/**
 * A layer's weights and biases. Few units: one row per input, one column per unit (as Keras's
 * get_weights() prints them); more units than inputs: one row per unit, so a 2→32 layer is tall,
 * not wide; and when even that is wider than a screen (32→32), each value a coloured cell (blue
 * positive, orange negative, stronger when larger) with its number on hover.
 */
function weightsTable(el, layer, fromNames, toNames) {
  const byUnit = toNames.length > fromNames.length + 1;
  const columns = byUnit ? fromNames.map((n) => `w · ${n}`).concat(t('results.bias')) : toNames;
  const rows = byUnit
    ? toNames.map((name, j) => [name].concat(layer.weights.map((row) => row[j]), [layer.biases[j]]))
    : layer.weights.map((row, i) => [`w · ${fromNames[i]}`].concat(row)).concat([[t('results.bias')].concat(layer.biases)]);
  if (columns.length <= MAX_NUMBER_COLUMNS) {
    table(el, [''].concat(columns), rows.map(([name, ...values]) => [name].concat(values.map(formatNumber))));
    return;
  }
  el.classList.add('weights-heat');
  const largest = Math.max(1e-12, ...rows.flatMap(([, ...values]) => values.map(Math.abs)));
  table(el, [''].concat(columns.map((_, c) => String(c + 1))), rows.map(([name]) => [name]));
  [...el.tBodies[0].rows].forEach((tr, r) => {
    rows[r].slice(1).forEach((value, c) => {
      const td = tr.insertCell();
      const strength = Math.abs(value) / largest;
      td.style.background = value >= 0 ? `rgba(37, 99, 235, ${strength.toFixed(3)})` : `rgba(234, 88, 12, ${strength.toFixed(3)})`;
      td.title = `${rows[r][0]} · ${columns[c]}: ${formatNumber(value)}`;
      td.setAttribute('aria-label', td.title);
    });
  });
  [...el.tHead.rows[0].cells].slice(1).forEach((th, c) => { th.title = columns[c]; });
  el.createCaption().textContent = t('results.weightsHeatHint');
}

export function renderResult(session) {
  const result = session.result;
  const data = session.data;
  $('results-panel').hidden = false;
  const metrics = Object.entries(result.metrics)
    .sort(([a], [b]) => METRIC_ORDER.indexOf(a) - METRIC_ORDER.indexOf(b));
  table($('metrics-table'), null, metrics.map(([name, value]) => [t(`metric.${name}`), formatNumber(value)]));
  $('training-time').textContent = t('results.time', formatNumber(result.trainingMillis / 1000), result.epochs);

  if (result.equation) {
    const w = formatNumber(result.equation.weight);
    const b = formatNumber(Math.abs(result.equation.bias));
    const sign = result.equation.bias < 0 ? '−' : '+';
    $('equation').textContent = `${data.targets[0]} = ${w} · ${data.inputs[0]} ${sign} ${b}`;
  } else {
    $('equation').textContent = '';
  }

  const summary = result.summary;
  $('summary').textContent = summaryText(summary);

  const weights = $('weights');
  weights.replaceChildren();
  result.weights.forEach((layer, index) => {
    const fromNames = index === 0 ? data.inputs : layer.weights.map((_, i) => `h${index}.${i + 1}`);
    const toNames = layer.biases.map((_, j) => (index === result.weights.length - 1
      ? (data.outputs[j] ?? `#${j + 1}`) : `h${index + 1}.${j + 1}`));
    const el = document.createElement('table');
    el.className = 'compact weights-table';
    el.dataset.layer = index;
    weightsTable(el, layer, fromNames, toNames);
    const title = document.createElement('h4');
    title.textContent = `${summary.layers[index].layer}`;
    weights.append(title, el);
  });

  if (result.confusionMatrix) {
    $('confusion-box').hidden = false;
    const classes = data.classNames && data.classNames.length ? data.classNames : data.classes;
    table($('confusion-table'), [t('results.trueVsPredicted')].concat(classes),
      result.confusionMatrix.map((row, i) => [classes[i]].concat(row.map(String))));
  } else {
    $('confusion-box').hidden = true;
  }

  if (result.predictions && data.y) {
    const classification = data.task === 'classification';
    const header = data.inputs.concat(classification ? [t('results.trueClass'), t('results.predictedClass')]
      : data.targets.flatMap((c) => [c, t('results.predictedOf', c)]));
    const rows = [];
    const limit = Math.min(data.x.length, 200);
    for (let r = 0; r < limit; r++) {
      const row = data.x[r].map(formatNumber);
      if (classification) {
        row.push(data.classes[classIndex(data.y[r])], data.classes[classIndex(result.predictions[r])]);
      } else {
        data.y[r].forEach((value, c) => row.push(formatNumber(value), formatNumber(result.predictions[r][c])));
      }
      rows.push(row);
    }
    table($('predictions-table'), header, rows);
  }
}

export function classIndex(row) {
  if (row.length === 1) return row[0] >= 0.5 ? 1 : 0;
  let best = 0;
  row.forEach((v, i) => { if (v > row[best]) best = i; });
  return best;
}

export function renderPredictInputs(session) {
  const box = $('predict-inputs');
  box.replaceChildren();
  session.data.inputs.forEach((name, i) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'text';
    input.inputMode = 'decimal';
    input.className = 'predict-input';
    input.id = `predict-input-${i}`;
    input.value = session.data.x && session.data.x.length ? formatForInput(session.data.x[0][i]) : '0';
    label.append(name, ' ', input);
    box.appendChild(label);
  });
  $('predict-output').textContent = '';
}

export function renderPrediction(session, answer) {
  const outputs = answer.outputs[0];
  let text;
  if (answer.labels) {
    text = `${t('results.predictedClass')}: ${answer.labels[0]}`;
    if (outputs.length > 1) {
      text += ` (${session.data.classes.map((c, i) => `${c}: ${formatNumber(outputs[i])}`).join(', ')})`;
    }
  } else {
    text = session.data.outputs.map((name, i) => `${name} = ${formatNumber(outputs[i])}`).join(' · ');
  }
  $('predict-output').textContent = text;
}
