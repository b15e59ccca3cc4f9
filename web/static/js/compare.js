// Compare runs: several sessions' curves on one chart (own ones or any opened by URL, plus a
// Keras or PyTorch history file), with a legend of the settings in which they differ.
import { api } from './api.js';
import { t, formatNumber } from './i18n.js';
import { curvesChart, setCurves, chartControls } from './charts.js';
import { $ } from './dom.js';

const runs = []; // { key, id?, label, spec?, series: {loss: [{x,y}], …}, finalLoss }
let chart;

/** The settings a student varies, flattened: "optimizer" → "adam", "layers" → "1→3→3→1 relu"… */
function settings(spec, inputs) {
  const tr = spec.training;
  const layers = spec.network.layers;
  const flat = {
    dataset: spec.data.dataset || t('compare.pasted'),
    layers: [inputs].concat(layers.map((l) => l.units)).join('→'),
    activations: layers.map((l) => l.activation).join(', '),
    loss: tr.loss, optimizer: tr.optimizer, learningRate: tr.learningRate, epochs: tr.epochs,
    batchSize: tr.batchSize, validationSplit: tr.validationSplit, standardize: tr.standardize, seed: tr.seed,
    earlyStopping: tr.earlyStopping ? `${tr.earlyStopping.monitor}/${tr.earlyStopping.patience}` : '—',
  };
  return flat;
}

/** The settings whose values are not the same in every compared session. */
export function differing(all) {
  const keys = new Set(all.flatMap((s) => Object.keys(s)));
  return [...keys].filter((k) => new Set(all.map((s) => String(s[k]))).size > 1);
}

function seriesOf(history) {
  const series = { loss: [], val_loss: [], accuracy: [], val_accuracy: [] };
  history.forEach((e) => {
    series.loss.push({ x: e.epoch, y: e.loss });
    if (e.valLoss !== undefined) series.val_loss.push({ x: e.epoch, y: e.valLoss });
    if (e.metrics && e.metrics.accuracy !== undefined) series.accuracy.push({ x: e.epoch, y: e.metrics.accuracy });
    if (e.metrics && e.metrics.val_accuracy !== undefined) series.val_accuracy.push({ x: e.epoch, y: e.metrics.val_accuracy });
  });
  return series;
}

/** A Keras history.history JSON ({"loss": [...], …}) or a CSV with a header (epoch,loss,val_loss,…). */
export function parseHistoryFile(text) {
  const series = { loss: [], val_loss: [], accuracy: [], val_accuracy: [] };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const data = JSON.parse(trimmed);
    const history = data.history && typeof data.history === 'object' ? data.history : data;
    Object.keys(series).forEach((k) => {
      if (Array.isArray(history[k])) series[k] = history[k].map((y, i) => ({ x: i + 1, y: Number(y) }));
    });
  } else {
    const lines = trimmed.split(/\r?\n/);
    const header = lines[0].split(/[,;\t]/).map((h) => h.trim().toLowerCase());
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(/[,;\t]/);
      const epochColumn = header.indexOf('epoch');
      const x = epochColumn >= 0 ? Number(cells[epochColumn]) : i + 1;
      Object.keys(series).forEach((k) => {
        const c = header.indexOf(k);
        if (c >= 0 && cells[c] !== undefined && cells[c].trim() !== '') series[k].push({ x, y: Number(cells[c]) });
      });
    });
  }
  if (!series.loss.length || series.loss.some((p) => !Number.isFinite(p.y) || !Number.isFinite(p.x))) {
    throw new Error('no loss');
  }
  return series;
}

function idFrom(text) {
  const match = text.trim().match(/(?:\/s\/)?([A-Za-z0-9_-]{10,64})\/?$/);
  return match ? match[1] : null;
}

async function addSession(id) {
  if (runs.some((r) => r.id === id)) return;
  const session = await api(`/api/sessions/${encodeURIComponent(id)}`);
  runs.push({ key: id, id, name: session.name, spec: session.spec, inputs: session.data.inputs.length,
    series: seriesOf(session.history), finalLoss: session.history.length ? session.history.at(-1).loss : null });
}

function render() {
  const withSpecs = runs.filter((r) => r.spec);
  const flats = withSpecs.map((r) => settings(r.spec, r.inputs));
  const keys = differing(flats);
  runs.forEach((r) => {
    const flat = r.spec ? flats[withSpecs.indexOf(r)] : null;
    const varied = flat ? keys.map((k) => `${k}=${flat[k]}`).join(', ') : '';
    r.label = [r.name || (r.id ? r.id.slice(0, 6) : r.file), varied].filter(Boolean).join(' · ');
  });
  const table = $('compare-table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  [t('compare.run')].concat(keys, [t('compare.finalLoss'), '']).forEach((h) => {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  });
  const body = table.createTBody();
  runs.forEach((r, i) => {
    const row = body.insertRow();
    row.dataset.key = r.key;
    const name = row.insertCell();
    if (r.id) {
      const a = document.createElement('a');
      a.href = `/s/${r.id}`;
      a.textContent = r.name || r.id;
      name.appendChild(a);
    } else {
      name.textContent = r.file;
    }
    const flat = r.spec ? flats[withSpecs.indexOf(r)] : {};
    keys.forEach((k) => {
      const value = flat[k];
      row.insertCell().textContent = value === undefined ? '—' : typeof value === 'number' ? formatNumber(value) : String(value);
    });
    row.insertCell().textContent = formatNumber(r.finalLoss);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'icon';
    remove.textContent = '✕';
    remove.title = t('compare.remove');
    remove.addEventListener('click', () => { runs.splice(i, 1); render(); });
    row.insertCell().appendChild(remove);
  });
  const metric = $('compare-metric').value;
  setCurves(chart, runs.map((r) => ({ label: r.label, points: r.series[metric] || [] })));
  const ids = runs.filter((r) => r.id).map((r) => r.id);
  history.replaceState(null, '', ids.length ? `/compare?ids=${ids.map(encodeURIComponent).join(',')}` : '/compare');
}

function fail(message) {
  $('general-error').textContent = message;
  $('general-error').classList.add('visible');
}

async function start() {
  chart = curvesChart($('compare-chart'));
  chartControls(chart, $('compare-chart-area'), 'comparison');
  $('compare-metric').addEventListener('change', render);
  $('compare-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('general-error').classList.remove('visible');
    const id = idFrom($('compare-input').value);
    if (!id) {
      fail(t('compare.badId'));
      return;
    }
    try {
      await addSession(id);
      $('compare-input').value = '';
      render();
    } catch (e) {
      fail(e.message);
    }
  });
  $('compare-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    try {
      const series = parseHistoryFile(await file.text());
      runs.push({ key: `file:${file.name}:${runs.length}`, file: file.name, series, finalLoss: series.loss.at(-1).y });
      render();
    } catch {
      fail(t('compare.badFile', file.name));
    }
  });
  const ids = (new URLSearchParams(location.search).get('ids') || '').split(',').filter(Boolean).slice(0, 20);
  for (const id of ids) {
    try {
      await addSession(id);
    } catch (e) {
      fail(`${id}: ${e.message}`);
    }
  }
  render();
  document.body.dataset.ready = 'true';
}

start().catch((e) => fail(`${t('error.network')} (${e.message})`));
