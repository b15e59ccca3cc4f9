// The teacher's board: one row per student (name, status, epoch, loss/accuracy, a small curve),
// open, project, stop one or all, the leaderboard, and the class's starting configuration.
import { api, ApiFailure } from './api.js';
import { t, formatNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { sparkline } from './sparkline.js';
import { follow } from './socket.js';
import { $, el } from './dom.js';
import { ChallengeForm } from './challenge-form.js';
import { targetText } from './challenge-text.js';

const code = document.body.dataset.classCode;
const LOCKABLE = ['data', 'network', 'training.loss', 'training.optimizer', 'training.learningRate',
  'training.epochs', 'training.batchSize', 'training.validationSplit'];
let settings = null;

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

const rows = new Map(); // student id → { row, cells }: rows are updated in place, so buttons stay put

function header(table) {
  const head = table.createTHead().insertRow();
  [t('class.student'), t('class.status'), t('class.epoch'), t('class.loss'), t('class.accuracy'), t('class.curve'), '']
    .forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
  table.createTBody();
}

function rowFor(student) {
  if (rows.has(student.id)) return rows.get(student.id);
  const row = $('board').tBodies[0].insertRow();
  row.dataset.student = student.id;
  const cells = Array.from({ length: 7 }, () => row.insertCell());
  cells[0].className = 'student-name';
  const badge = document.createElement('span');
  badge.className = 'badge';
  cells[1].appendChild(badge);
  const canvas = document.createElement('canvas');
  cells[5].appendChild(canvas);
  const entry = { row, cells, badge, canvas, actionsKey: null, curveKey: null };
  rows.set(student.id, entry);
  return entry;
}

function renderRow(student) {
  const entry = rowFor(student);
  const { cells, badge, canvas } = entry;
  cells[0].textContent = student.name;
  const latest = student.sessions[0];
  if (!latest) {
    badge.textContent = t('class.noSessions');
    badge.dataset.status = 'none';
    return;
  }
  badge.dataset.status = latest.status;
  badge.textContent = t(`state.${latest.status}`);
  cells[2].textContent = formatNumber(latest.epochs);
  // which loss it is, said beside it: the validation loss when the run holds data out
  const validation = latest.metrics.val_loss !== undefined;
  const lossName = document.createElement('span');
  lossName.className = 'metric-name';
  lossName.textContent = validation ? ' val_loss' : ' loss';
  cells[3].replaceChildren(formatNumber(validation ? latest.metrics.val_loss : latest.loss), lossName);
  cells[4].textContent = formatNumber(latest.metrics.val_accuracy ?? latest.metrics.accuracy);
  const curveKey = latest.curve.join(',');
  if (curveKey !== entry.curveKey) {
    entry.curveKey = curveKey;
    sparkline(canvas, latest.curve);
  }
  const going = ['queued', 'running'].includes(latest.status);
  const actionsKey = `${latest.id}:${going}`;
  if (actionsKey !== entry.actionsKey) {
    entry.actionsKey = actionsKey;
    const actions = document.createElement('span');
    actions.className = 'row-actions';
    actions.append(link(t('class.open'), latest.url), link(t('class.project'), `${latest.url}?project=1`));
    if (going) actions.append(button(t('class.stop'), 'danger small stop-one', () => stop(latest.id)));
    cells[6].replaceChildren(actions);
  }
}

function renderBoard(board) {
  $('class-name').textContent = board.name;
  $('class-code').textContent = board.code;
  $('join-at').textContent = t('class.joinAt', `${location.origin}/join`);
  settings = board.settings;
  $('leaderboard-toggle').checked = Boolean(settings.leaderboard);
  if (!$('board').tHead) header($('board'));
  board.students.forEach(renderRow);
  $('board').hidden = board.students.length === 0;
  $('board-empty').hidden = board.students.length > 0;
  $('board-empty').textContent = t('class.emptyBoard', board.code, `${location.origin}/join`);
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

function followBoard() {
  follow(`/ws/classes/${encodeURIComponent(code)}`, {
    onMessage: (data) => {
      if (data.type === 'board') renderBoard(data.board);
      else if (data.type === 'error') showError('', data.message);
    },
  });
}

/** The class's challenges: each with its state, target, how many tried and met it, and a link to its view. */
async function loadChallenges() {
  const list = await api(`/api/classes/${encodeURIComponent(code)}/challenges`);
  $('challenges-empty').hidden = list.length > 0;
  $('challenges').replaceChildren(...list.map(({ challenge: c, tried, met }) => el('li', { className: 'my-item challenge-item', dataset: { challenge: c.id } },
    el('a', { href: c.url, text: c.title, className: 'challenge-title' }),
    el('span', { className: 'meta', text: `${targetText(c.target)} · ${t('challenge.summary', tried, met)}` }),
    el('span', { className: 'badge', dataset: { state: c.state }, text: t(`challenge.state.${c.state}`) }),
    el('span', { className: 'row-actions' },
      button(t(c.state === 'open' ? 'challenge.close' : 'challenge.open'), 'secondary small toggle-challenge',
        () => setChallengeState(c, c.state === 'open' ? 'closed' : 'open')),
      el('a', { href: c.url, text: t('challenge.view'), className: 'button-link small' })))));
}

/** Opens or closes a challenge from the board. */
async function setChallengeState(c, state) {
  try {
    await api(`/api/classes/${encodeURIComponent(code)}/challenges/${encodeURIComponent(c.id)}`, { method: 'PATCH', body: { state } });
    await loadChallenges();
  } catch (e) {
    showError('', e.message);
  }
}

async function start() {
  new ChallengeForm($('new-challenge').querySelector('form'), code, async () => { // eslint-disable-line no-new
    await loadChallenges();
    $('new-challenge').open = false;
  });
  await loadChallenges();
  setInterval(() => { if (!document.hidden) loadChallenges().catch(() => {}); }, 5000);
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
  followBoard();
  document.body.dataset.ready = 'true';
}

start().catch((e) => showError('', e.message));
