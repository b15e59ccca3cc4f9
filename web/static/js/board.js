// The teacher's board: one row per student (name, status, epoch, loss/accuracy, a small curve),
// open, project, stop one or all, the leaderboard, and the class's starting configuration.
import { api, ApiFailure } from './api.js';
import { t, formatNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { sparkline } from './sparkline.js';

const $ = (id) => document.getElementById(id);
const code = document.body.dataset.classCode;
const LOCKABLE = ['data', 'network', 'training.loss', 'training.optimizer', 'training.learningRate',
  'training.epochs', 'training.batchSize', 'training.validationSplit'];
let settings = null;

function cell(row, content) {
  const td = row.insertCell();
  if (content instanceof Node) td.appendChild(content);
  else td.textContent = content;
  return td;
}

function button(text, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

function link(text, href) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  return a;
}

async function stop(id) {
  try {
    await api(`/api/sessions/${encodeURIComponent(id)}/stop`, { method: 'POST' });
  } catch (e) {
    showError('', e.message);
  }
}

function renderBoard(board) {
  $('class-name').textContent = board.name;
  $('class-code').textContent = board.code;
  $('join-at').textContent = t('class.joinAt', `${location.origin}/join`);
  settings = board.settings;
  $('leaderboard-toggle').checked = Boolean(settings.leaderboard);
  const table = $('board');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  [t('class.student'), t('class.status'), t('class.epoch'), t('class.loss'), t('class.accuracy'), t('class.curve'), '']
    .forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
  const body = table.createTBody();
  board.students.forEach((student) => {
    const row = body.insertRow();
    row.dataset.student = student.id;
    cell(row, student.name).className = 'student-name';
    const latest = student.sessions[0];
    if (!latest) {
      cell(row, t('class.noSessions')).colSpan = 6;
      return;
    }
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.dataset.status = latest.status;
    badge.textContent = t(`state.${latest.status}`);
    cell(row, badge);
    cell(row, String(latest.epochs));
    cell(row, formatNumber(latest.metrics.val_loss ?? latest.loss));
    cell(row, formatNumber(latest.metrics.val_accuracy ?? latest.metrics.accuracy));
    const canvas = document.createElement('canvas');
    cell(row, canvas);
    sparkline(canvas, latest.curve);
    const actions = document.createElement('span');
    actions.className = 'row-actions';
    actions.append(link(t('class.open'), latest.url), link(t('class.project'), `${latest.url}?project=1`));
    if (['queued', 'running'].includes(latest.status)) {
      actions.append(button(t('class.stop'), 'danger small stop-one', () => stop(latest.id)));
    }
    cell(row, actions);
  });
  const leaders = $('leaders');
  leaders.replaceChildren(...board.leaders.map((l) => {
    const li = document.createElement('li');
    li.textContent = `${l.name} — ${l.metric}: ${formatNumber(l.value)}`;
    return li;
  }));
  renderSettings();
}

function renderSettings() {
  $('start-spec').textContent = settings.spec ? JSON.stringify({ network: settings.spec.network,
    training: settings.spec.training, data: { dataset: settings.spec.data.dataset } }, null, 1) : '—';
  const locks = $('locks');
  if (locks.dataset.rendered === String(Boolean(settings.spec)) && locks.children.length) {
    locks.querySelectorAll('input').forEach((box) => { box.checked = settings.locked.includes(box.value); });
    return;
  }
  locks.dataset.rendered = String(Boolean(settings.spec));
  locks.replaceChildren();
  if (!settings.spec) return;
  LOCKABLE.forEach((path) => {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = path;
    box.checked = settings.locked.includes(path);
    box.addEventListener('change', () => save({ locked: [...locks.querySelectorAll('input:checked')].map((b) => b.value) }));
    label.append(box, `${t('class.lock')} ${path}`);
    locks.appendChild(label);
  });
}

async function save(change) {
  clearErrors();
  try {
    renderBoard(await api(`/api/classes/${encodeURIComponent(code)}`, { method: 'PATCH', body: change }));
    $('settings-status').textContent = t('class.saved');
  } catch (e) {
    if (e instanceof ApiFailure) showError(e.field || 'settings', e.message);
    else showError('', t('error.network'));
  }
}

function follow() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws/classes/${encodeURIComponent(code)}`);
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'board') renderBoard(data.board);
    else if (data.type === 'error') showError('', data.message);
  };
  socket.onclose = (event) => { if (event.code !== 4404) setTimeout(follow, 2000); };
}

async function start() {
  $('stop-all').addEventListener('click', async () => {
    await api(`/api/classes/${encodeURIComponent(code)}/stop`, { method: 'POST' });
  });
  $('leaderboard-toggle').addEventListener('change', () => save({ leaderboard: $('leaderboard-toggle').checked }));
  $('start-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = ($('start-session').value.trim().match(/([A-Za-z0-9_-]{10,64})\/?$/) || [])[1];
    if (!id) return;
    try {
      const session = await api(`/api/sessions/${encodeURIComponent(id)}/spec.json`);
      await save({ spec: session, locked: [] });
    } catch (e) {
      showError('settings', e.message);
    }
  });
  renderBoard(await api(`/api/classes/${encodeURIComponent(code)}`));
  follow();
  document.body.dataset.ready = 'true';
}

start().catch((e) => showError('', e.message));
