// Wires the page: the editor, the Train/Stop buttons, the live chart over the WebSocket, results.
import { api, ApiFailure } from './api.js';
import { t, parseNumber } from './i18n.js';
import { Editor, showError, clearErrors } from './editor.js';
import { watch } from './live.js';
import { lossChart, resetLossChart, addEpochs, scatterChart } from './charts.js';
import { renderResult, renderPredictInputs, renderPrediction } from './results.js';

const $ = (id) => document.getElementById(id);
const editor = new Editor();
const chart = lossChart($('loss-chart'));
let current = null; // { id, epochs, watcher, session, resultShown }
let scatter = null;

window.sinapsis = { chart, get sessionId() { return current && current.id; } };

async function train() {
  clearErrors();
  const spec = editor.readSpec();
  $('train-button').disabled = true;
  try {
    const created = await api('/api/sessions', { method: 'POST', body: spec });
    history.pushState({ id: created.id }, '', created.url);
    await open(created.id);
  } catch (e) {
    if (e instanceof ApiFailure) showError(e.field, e.message);
    else showError('', t('error.network'));
  } finally {
    $('train-button').disabled = false;
  }
}

/** Opens a session: its chart from the first epoch, then live; its results when it ends. */
async function open(id) {
  if (current && current.watcher) current.watcher.close();
  const session = await api(`/api/sessions/${encodeURIComponent(id)}?history=false`);
  current = { id, epochs: session.epochs, session, watcher: null, resultShown: false };
  resetLossChart(chart, session.epochs);
  $('results-panel').hidden = true;
  $('progress').max = session.epochs;
  $('progress').value = 0;
  $('progress-text').textContent = '';
  showStatus({ status: session.status, queuePosition: session.queuePosition, epochs: session.epochs,
    error: session.error && session.error.message }, session);
  current.watcher = watch(id, {
    onEvents: (events) => {
      addEpochs(chart, events);
      const last = events[events.length - 1];
      $('progress').value = last.epoch;
      $('progress-text').textContent = t('progress.epoch', last.epoch, current.epochs);
    },
    onStatus: (status) => showStatus(status),
    onError: (message) => showError('', message),
  });
  return session;
}

/** Shows a status; once the run is over, its results (once per session, from `known` if given). */
async function showStatus(status, known) {
  const text = $('status-text');
  text.dataset.status = status.status;
  const over = ['finished', 'stopped', 'failed'].includes(status.status);
  $('stop-button').hidden = over;
  if (status.status === 'queued') text.textContent = t('status.queued', status.queuePosition);
  else if (status.status === 'failed') text.textContent = `${t('status.failed')}: ${status.error || ''}`;
  else text.textContent = t(`status.${status.status}`);
  if (!over || !current || current.resultShown) return;
  const shown = current;
  shown.resultShown = true;
  const session = known || await api(`/api/sessions/${encodeURIComponent(shown.id)}?history=false`);
  if (current !== shown) return; // another session was opened meanwhile
  shown.session = session;
  if (session.result) {
    renderResult(session);
    renderPredictInputs(session);
    drawScatter(session);
  }
}

async function drawScatter(session) {
  const data = session.data;
  const box = $('scatter-box');
  const oneToOne = data.inputs.length === 1 && data.outputs.length === 1 && data.task === 'regression' && data.x;
  box.hidden = !oneToOne;
  if (!oneToOne) return;
  const xs = data.x.map((r) => r[0]);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  const margin = (max - min || 1) * 0.05;
  const grid = Array.from({ length: 60 }, (_, i) => min - margin + (i * (max - min + 2 * margin)) / 59);
  const answer = await api(`/api/sessions/${encodeURIComponent(session.id)}/predict`,
    { method: 'POST', body: { inputs: grid.map((x) => [x]) } });
  scatter = scatterChart($('scatter-chart'), data.x.map((r, i) => ({ x: r[0], y: data.y[i][0] })),
    grid.map((x, i) => ({ x, y: answer.outputs[i][0] })), data.inputs[0], data.targets[0], scatter);
}

async function predict(event) {
  event.preventDefault();
  clearErrors('inputs');
  if (!current || !current.session) return;
  const values = [...document.querySelectorAll('.predict-input')].map((el) => parseNumber(el.value));
  if (values.some(Number.isNaN)) {
    showError('inputs', t('error.predictNotNumber'));
    return;
  }
  try {
    const answer = await api(`/api/sessions/${encodeURIComponent(current.id)}/predict`,
      { method: 'POST', body: { inputs: [values] } });
    renderPrediction(current.session, answer);
  } catch (e) {
    if (e instanceof ApiFailure) showError(e.field || 'inputs', e.message);
    else throw e;
  }
}

async function stop() {
  if (!current) return;
  try {
    await api(`/api/sessions/${encodeURIComponent(current.id)}/stop`, { method: 'POST' });
  } catch (e) {
    if (e instanceof ApiFailure) showError('', e.message);
  }
}

async function start() {
  $('train-button').addEventListener('click', train);
  $('stop-button').addEventListener('click', stop);
  $('predict-form').addEventListener('submit', predict);
  await editor.load();
  const sessionId = document.body.dataset.sessionId;
  if (sessionId && !document.querySelector('#session-banner .error')) {
    const session = await open(sessionId);
    editor.fillFromSession(session);
  } else {
    editor.pickDataset('celsius');
  }
  document.body.dataset.ready = 'true';
}

window.addEventListener('popstate', () => location.reload());
start().catch((e) => showError('', `${t('error.network')} (${e.message})`));
