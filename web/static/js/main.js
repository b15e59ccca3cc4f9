// Wires the page: the editor, the Train/Stop buttons, the live chart over the WebSocket, results,
// and the session's own actions (share, fork, rename, train again, delete, downloads).
import { api, ApiFailure } from './api.js';
import { t, lang, parseNumber, formatNumber } from './i18n.js';
import { Editor } from './editor.js';
import { showError, clearErrors } from './errors.js';
import { watch } from './live.js';
import { lossChart, resetLossChart, addEpochs, scatterChart, setMarkers, chartControls, showBatchProgress } from './charts.js';
import { TrainingConsole } from './console.js';
import { Stepper } from './steps.js';
import { CodeDialog } from './code.js';
import { GridForm } from './grid.js';
import { renderResult, renderPredictInputs, renderPrediction } from './results.js';
import { renderSamples, DrawBox } from './images.js';
import { remember, forget } from './owned.js';
import { $ } from './dom.js';
import { LivePanel } from './live-panel.js';
import { targetText, constraintsText, attemptText } from './challenge-text.js';

const OVER = ['finished', 'stopped', 'failed', 'interrupted'];
const editor = new Editor();
const chart = lossChart($('loss-chart'));
const trainingConsole = new TrainingConsole($('console'));
new Stepper(() => editor.readSpec()); // eslint-disable-line no-new
const codeDialog = new CodeDialog(() => current.id);
new GridForm(() => editor.readSpec(), () => editor.readLayers().length); // eslint-disable-line no-new
chartControls(chart, $('loss-chart-area'), 'loss');
let current = null; // { id, epochs, watcher, session, resultShown, owner, status }
const drawBox = new DrawBox((inputs) => api(sessionPath(current.id, '/predict'), { method: 'POST', body: { inputs } }));
let scatter = null;
const livePanel = new LivePanel((axes) => { if (current && current.watcher) current.watcher.view(axes); });
// before a session exists, the editor's data is drawn beside the chart: the problem, seen first
editor.onData = () => {
  if (current) return;
  const layers = editor.readLayers();
  livePanel.preview(editor.points(), layers.map((layer) => Number(layer.units) || 1));
};

window.sinapsis = { chart, get sessionId() { return current && current.id; } };

const sessionPath = (id, rest = '') => `/api/sessions/${encodeURIComponent(id)}${rest}`;

function failed(e) {
  if (e instanceof ApiFailure) showError(e.field || '', e.message);
  else showError('', t('error.network'));
}

/**
 * What the main button does where the person is: train a new session (the editor) or a draft of
 * theirs, train their finished session again with what the editor holds, or, on someone else's
 * session, train a copy of it. While their own run goes, it is hidden and *Detener* stands there.
 */
function trainMode() {
  if (!current || (current.owner && current.status === 'draft')) return 'train';
  if (!current.owner) return 'fork';
  // an attempt at a challenge keeps its session as it is: the next attempt is a copy
  if (current.challenge && OVER.includes(current.status)) return 'fork';
  return OVER.includes(current.status) ? 'again' : 'running';
}

const TRAIN_LABELS = { train: 'training.train', again: 'session.rerun', fork: 'session.forkAndTrain', running: 'training.train' };

function updateTrainButton() {
  const mode = trainMode();
  const button = $('train-button');
  button.dataset.mode = mode;
  const attempt = (current && current.challenge && current.owner) || (!current && challenge);
  button.textContent = t(attempt && mode !== 'running' ? 'challenge.attempt' : TRAIN_LABELS[mode]);
  button.hidden = mode === 'running';
}

/** Brings the live area (status, progress, chart, console) into view: after Train, that is where the eyes go. */
function showLiveArea() {
  const live = $('progress-panel');
  live.scrollIntoView({ block: 'start', behavior: 'instant' });
  const top = live.getBoundingClientRect().top;
  if (top < 0) window.scrollBy(0, Math.floor(top)); // a fraction of a pixel above the window is still cut
}

async function train() {
  clearErrors();
  const spec = editor.readSpec();
  const mode = trainMode();
  $('train-button').disabled = true;
  try {
    if (mode === 'train' && current) {
      // a fork waiting in the editor: it trains under its own id, with what the editor holds now
      await api(sessionPath(current.id, '/run'), { method: 'POST', body: spec });
      await open(current.id);
    } else if (mode === 'again') {
      await api(sessionPath(current.id, '/run'), { method: 'POST', body: spec });
      await open(current.id);
    } else if (mode === 'fork') {
      // someone else's session: a copy of it ("Copia de …"), trained with what the editor holds
      const copy = await api(sessionPath(current.id, '/fork'), { method: 'POST' });
      remember(copy.id);
      await api(sessionPath(copy.id, '/run'), { method: 'POST', body: spec });
      history.pushState({ id: copy.id }, '', copy.url);
      await open(copy.id);
    } else if (mode === 'train') {
      const body = { ...spec, name: defaultName(spec) };
      if (challenge) body.challenge = challenge.id; // an attempt at the challenge
      const created = await api('/api/sessions', { method: 'POST', body });
      remember(created.id);
      history.pushState({ id: created.id }, '', created.url);
      await open(created.id);
    }
    showLiveArea();
  } catch (e) {
    failed(e);
  } finally {
    $('train-button').disabled = false;
  }
}

/** "Espirales · 1/12/26, 22:41": a new session's name, its data set and this moment in the reader's time. */
function defaultName(spec) {
  const dataset = editor.dataset(spec.data.dataset);
  const data = challenge ? challenge.title : dataset ? (dataset.name[lang] || dataset.name.en) : t('session.pastedTable');
  return `${data} · ${new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(new Date())}`;
}

/** A grid search's refit session links back to its search. */
async function linkSearch(id) {
  const answer = await api(`/api/searches?refit=${encodeURIComponent(id)}`);
  if (!current || current.id !== id) return;
  $('from-search').hidden = !answer.search;
  if (answer.search) $('from-search-link').href = answer.search.url;
}

let opening = 0;

/** Opens a session: its chart from the first epoch, then live; its results when it ends. */
async function open(id) {
  const ticket = ++opening;
  if (current && current.watcher) current.watcher.close();
  // the session with its history so far: the chart and console drawn at once, the socket follows from there
  const session = await api(sessionPath(id));
  if (ticket !== opening) return session; // opened again meanwhile (e.g. a reset): the newer one follows it
  current = { id, epochs: session.epochs, session, watcher: null, resultShown: false, owner: session.owner,
    status: session.status };
  resetLossChart(chart, session.epochs);
  $('results-panel').hidden = true;
  $('progress').max = session.epochs;
  $('progress').value = 0;
  $('progress-text').textContent = '';
  const finished = OVER.includes(session.status) && session.result;
  if (finished) { // its final state at once: the history replaying into the chart does not move it
    $('progress').value = session.result.epochs;
    $('progress-text').textContent = t('progress.epoch', session.result.epochs, session.epochs);
  }
  trainingConsole.start(session.summary);
  $('live-equation-box').hidden = true;
  showSession(session);
  livePanel.setSession(session);
  linkSearch(id).catch(() => { $('from-search').hidden = true; });
  $('challenge-outcome').textContent = '';
  linkChallenge(current).catch(() => {});
  showStatus({ status: session.status, queuePosition: session.queuePosition, wait: session.wait, epochs: session.epochs,
    error: session.error && session.error.message }, session);
  const opened = current;
  const history = session.history || [];
  const lastShown = history[history.length - 1];
  if (lastShown) { // one chart update, not the history replayed epoch by epoch
    addEpochs(chart, history);
    trainingConsole.epochs(history, current.epochs);
    showLiveEquation(lastShown);
    if (!finished) {
      $('progress').value = lastShown.epoch;
      $('progress-text').textContent = t('progress.epoch', lastShown.epoch, current.epochs);
    }
  }
  current.watcher = watch(id, {
    onEvents: (events) => {
      addEpochs(chart, events);
      trainingConsole.epochs(events, current.epochs);
      const last = events[events.length - 1];
      showLiveEquation(last);
      if (current === opened) livePanel.epoch(last.epoch);
      if (finished && current === opened) return;
      $('progress').value = last.epoch;
      $('progress-text').textContent = t('progress.epoch', last.epoch, current.epochs);
    },
    onStatus: (status) => showStatus(status),
    onProgress: (progress) => {
      showBatchProgress(chart, progress);
      trainingConsole.batch(progress);
      $('progress').value = progress.epoch - 1 + progress.batch / progress.batches;
      $('progress-text').textContent = t('progress.epoch', progress.epoch, current.epochs);
    },
    onError: (message, field) => showError(field ? 'surface' : '', message),
    onReset: () => { if (current === opened) open(id).catch(failed); },
    onLive: (frame) => { if (current === opened) livePanel.frame(frame); },
  }, lastShown ? lastShown.seq : 0);
  return session;
}

/** y = w·x + b as it is learned, for one linear neuron, beside the data set's known formula. */
function showLiveEquation(event) {
  const metrics = event.metrics || {};
  if (metrics.w === undefined || !current) return;
  const data = current.session.data;
  const sign = metrics.b < 0 ? '−' : '+';
  $('live-equation').textContent = `${data.targets[0]} = ${formatNumber(metrics.w)} · ${data.inputs[0]} ${sign} `
    + `${formatNumber(Math.abs(metrics.b))}`;
  const dataset = editor.dataset(current.session.spec.data.dataset);
  // the manifest writes 1.8; a Spanish page shows 1,8
  const formula = dataset && dataset.formula
    ? dataset.formula.replace(/\d+\.\d+/g, (number) => formatNumber(Number(number))) : '';
  $('known-formula').textContent = formula ? t('equation.known', formula) : '';
  $('live-equation-box').hidden = false;
}

/** The best epoch and where early stopping ended the run, on the chart and in the console. */
function showEarlyStop(stop) {
  trainingConsole.earlyStop(stop);
  chart.options.scales.x.max = Math.max(2, Math.ceil(stop.stoppedEpoch * 1.05));
  setMarkers(chart, [
    { x: stop.bestEpoch, label: t('chart.bestEpoch', stop.bestEpoch), color: '#16a34a', dash: [4, 3] },
    { x: stop.stoppedEpoch, label: t('chart.stoppedAt', stop.stoppedEpoch), color: '#dc2626' },
  ]);
}

/** The banner: name, id, who is looking, which actions they have, the downloads. */
function showSession(session) {
  $('session-banner').hidden = false;
  $('session-id').textContent = session.id;
  const dataset = editor.dataset(session.spec.data.dataset);
  $('session-name').textContent = session.name
    || (dataset ? (dataset.name[document.documentElement.lang] || dataset.name.en) : t('session.untitled'));
  document.body.dataset.owner = String(session.owner);
  $('viewer-note').hidden = session.owner;
  for (const button of document.querySelectorAll('.owner-only')) button.hidden = !session.owner;
  const base = sessionPath(session.id);
  $('download-history-csv').href = `${base}/history.csv`;
  $('download-history-json').href = `${base}/history.json`;
  $('download-spec').href = `${base}/spec.json`;
  $('download-data').href = `${base}/data.csv`;
  $('download-model').href = `${base}/model.zip`;
  $('compare-link').href = `/compare?ids=${encodeURIComponent(session.id)}`;
  $('download-model').hidden = !session.result;
}

/** Shows a status; once the run is over, its results (once per session, from `known` if given). */
async function showStatus(status, known) {
  const text = $('status-text');
  text.dataset.status = status.status;
  if (current) current.status = status.status;
  const over = OVER.includes(status.status);
  const owner = Boolean(current && current.owner);
  $('stop-button').hidden = !owner || over || status.status === 'draft';
  const going = status.status === 'running' || status.status === 'queued';
  $('pause-button').hidden = !owner || !going;
  $('resume-button').hidden = !owner || status.status !== 'paused';
  $('step-button').hidden = !owner || !(going || status.status === 'paused');
  $('rerun-button').hidden = !owner || !over || Boolean(current && current.challenge);
  updateTrainButton();
  if (status.status === 'queued' && status.wait > 0) text.textContent = t('status.queuedWait', status.queuePosition, status.wait);
  else if (status.status === 'queued') text.textContent = t('status.queued', status.queuePosition);
  else if (status.status === 'failed') text.textContent = `${t('status.failed')}: ${status.error || ''}`;
  else text.textContent = t(`status.${status.status}`);
  if (over && current && current.challenge && !current.outcomeShown) showOutcome(current);
  if (!over || !current || current.resultShown) return;
  const shown = current;
  shown.resultShown = true;
  const session = known || await api(`${sessionPath(shown.id)}?history=false`);
  if (current !== shown) return; // another session was opened meanwhile
  shown.session = session;
  $('download-model').hidden = !session.result;
  if (session.result && session.result.earlyStop) showEarlyStop(session.result.earlyStop);
  if (session.result) {
    renderResult(session);
    const images = Boolean(session.data.image);
    $('predict-box').hidden = images;
    $('draw-box').hidden = !images;
    $('weights-box').hidden = images;
    $('predictions-box').hidden = images;
    if (images) {
      drawBox.use(session);
      renderSamples(session).catch(failed);
    } else {
      $('samples-box').hidden = true;
      renderPredictInputs(session);
      drawScatter(session);
    }
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
  const answer = await api(sessionPath(session.id, '/predict'),
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
    $('predict-output').textContent = ''; // no old answer beside the new question
    showError('inputs', t('error.predictNotNumber'));
    return;
  }
  try {
    const answer = await api(sessionPath(current.id, '/predict'), { method: 'POST', body: { inputs: [values] } });
    renderPrediction(current.session, answer);
  } catch (e) {
    $('predict-output').textContent = '';
    if (e instanceof ApiFailure) showError(e.field || 'inputs', e.message);
    else throw e;
  }
}

async function act(path, options) {
  if (!current) return null;
  try {
    return await api(sessionPath(current.id, path), options);
  } catch (e) {
    failed(e);
    return null;
  }
}

async function stop() {
  await act('/stop', { method: 'POST' });
}

/**
 * Pause, resume or one epoch. The socket brings the new status (the one source of it: the answer
 * may arrive after the socket has already said "paused").
 */
async function control(action) {
  clearErrors('run');
  try {
    await api(sessionPath(current.id, `/${action}`), { method: 'POST' });
  } catch (e) {
    if (e instanceof ApiFailure) showError('run', e.message);
    else failed(e);
  }
}

async function rerun() {
  if (await act('/run', { method: 'POST' })) await open(current.id);
}

async function fork() {
  const created = await act('/fork', { method: 'POST' });
  if (!created) return;
  remember(created.id);
  location.href = created.url;
}

async function rename() {
  const name = window.prompt(t('session.renamePrompt'), current.session.name || $('session-name').textContent);
  if (name === null) return;
  const renamed = await act('', { method: 'PATCH', body: { name } });
  if (renamed) {
    current.session.name = renamed.name;
    showSession(current.session);
  }
}

async function remove() {
  if (!window.confirm(t('session.deleteConfirm'))) return;
  const id = current.id;
  try {
    await api(sessionPath(id), { method: 'DELETE' });
  } catch (e) {
    failed(e);
    return;
  }
  current.watcher.close();
  forget(id);
  location.href = '/my';
}

function share() {
  const url = `${location.origin}/s/${current.id}`;
  $('share-url').value = url;
  $('share-qr').src = `/s/${encodeURIComponent(current.id)}/qr.svg`;
  $('copy-status').textContent = '';
  $('share-dialog').showModal();
  $('share-url').select();
}

async function copyLink() {
  const input = $('share-url');
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(input.value);
    } else {
      input.select();
      if (!document.execCommand('copy')) throw new Error('copy refused');
    }
    $('copy-status').textContent = t('session.copied');
  } catch {
    input.select();
    $('copy-status').textContent = t('session.copyFailed');
  }
}

async function loadSpec(event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  clearErrors();
  try {
    editor.fillFromSpec(JSON.parse(await file.text()));
  } catch {
    showError('', t('session.loadSpecFailed'));
  }
}

const classCode = new URLSearchParams(location.search).get('class');
const challengeId = new URLSearchParams(location.search).get('challenge');
let challenge = null; // the challenge a new session in the editor is an attempt at

/** The challenge banner: its name, target, rules, the attempts left, and a link back to it. */
function showChallenge(c, attemptsNote) {
  $('challenge-banner').hidden = false;
  $('challenge-name').textContent = t('challenge.banner', c.title);
  $('challenge-goal').textContent = t('challenge.target', c.target.metric, c.target.op === '>=' ? '≥' : '≤', formatNumber(c.target.value));
  $('challenge-rules').textContent = constraintsText(c.constraints);
  $('challenge-attempts').textContent = attemptsNote || '';
  $('challenge-link').href = c.url;
}

/** A new attempt: the challenge's starting configuration and training part in the editor, its locked fields and data fixed. */
async function startInChallenge(code, id) {
  const view = await api(`/api/classes/${encodeURIComponent(code)}/challenges/${encodeURIComponent(id)}?spec=true`);
  challenge = view.challenge;
  editor.fillFromSpec(challenge.spec);
  editor.lock([...challenge.locked, 'data']);
  showChallenge(challenge, view.attemptsLeft !== undefined ? t('challenge.attemptsLeft', view.attemptsLeft, challenge.attempts)
    : t('challenge.attemptsUnlimited', view.attemptsUsed));
  if (!view.canAttempt) showError('challenge', view.whyNot);
  updateTrainButton();
}

/** A session on a challenge: its banner, and the attempt's outcome once its run is over. */
async function linkChallenge(opened) {
  let info;
  try {
    info = await api(sessionPath(opened.id, '/challenge'));
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return; // not on a challenge
    throw e;
  }
  if (current !== opened) return;
  opened.challenge = info.challenge;
  showChallenge(info.challenge);
  updateTrainButton();
  $('rerun-button').hidden = true;
  if ($('delete-button')) $('delete-button').hidden = true; // an attempt stays in the gradebook
  if (OVER.includes(opened.status)) showOutcome(opened, info);
}

/** Whether the attempt met the target, and by how much, as soon as the server has scored it. */
async function showOutcome(shown, known) {
  shown.outcomeShown = true;
  const box = $('challenge-outcome');
  let info = known;
  for (let tries = 0; tries < 20 && (!info || (info.attempt && info.attempt.state === 'going')); tries++) {
    if (info) {
      box.textContent = t('challenge.scoring');
      await new Promise((resolve) => { setTimeout(resolve, 500); });
    }
    info = await api(sessionPath(shown.id, '/challenge'));
    if (current !== shown) return;
  }
  if (!info.attempt) return;
  box.textContent = attemptText(info.attempt, info.challenge.target);
  box.dataset.met = String(Boolean(info.attempt.met));
  box.dataset.state = info.attempt.state;
}

/** A new session in a class: its starting configuration in the editor, the locked fields disabled. */
async function startInClass(code) {
  const info = await api(`/api/classes/${encodeURIComponent(code)}/student`);
  if (info.spec) editor.fillFromSpec(info.spec);
  else editor.pickDataset('celsius');
  const banner = $('class-banner');
  banner.hidden = false;
  banner.textContent = t('class.inClass', info.name, info.student ? info.student.name : '');
  editor.lock(info.locked);
}

async function start() {
  $('train-button').addEventListener('click', train);
  $('stop-button').addEventListener('click', stop);
  $('pause-button').addEventListener('click', () => control('pause'));
  $('resume-button').addEventListener('click', () => control('resume'));
  $('step-button').addEventListener('click', () => control('step'));
  $('predict-form').addEventListener('submit', predict);
  $('spec-file').addEventListener('change', loadSpec);
  const on = (id, handler) => { const el = $(id); if (el) el.addEventListener('click', handler); };
  on('share-button', share);
  on('copy-button', copyLink);
  on('fork-button', fork);
  on('code-button', () => codeDialog.open());
  on('rename-button', rename);
  on('rerun-button', rerun);
  on('delete-button', remove);
  await editor.load();
  const sessionId = document.body.dataset.sessionId;
  if (sessionId && !document.querySelector('#session-banner .error')) {
    const session = await open(sessionId);
    if (session.owner) remember(session.id);
    if (!session.spec.data.dataset && session.spec.data.csv === undefined) {
      // a table too large to echo in the session's JSON: fetch it whole for the editor
      const response = await fetch(sessionPath(sessionId, '/data.csv'));
      session.spec.data.csv = await response.text();
    }
    editor.fillFromSession(session);
  } else if (classCode && challengeId) {
    await startInChallenge(classCode, challengeId);
  } else if (classCode) {
    await startInClass(classCode);
  } else {
    // a new session: what the URL holds (a shared configuration), else the first lesson's data set
    if (!editor.fillFromUrl(new URLSearchParams(location.search))) editor.pickDataset('celsius');
    editor.keepInUrl();
  }
  if (new URLSearchParams(location.search).has('project')) document.body.classList.add('project');
  document.body.dataset.ready = 'true';
}

window.addEventListener('popstate', () => location.reload());
start().catch((e) => showError('', `${t('error.network')} (${e.message})`));
