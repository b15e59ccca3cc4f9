// A challenge's page. The teacher: every student's attempts, best score, whether they met the
// target, a link to the best; all best curves on one chart; open/close, edit, the gradebook. A
// student: the task, the target, the rules, their attempts and what each scored.
import { api, ApiFailure } from './api.js';
import { t, formatNumber } from './i18n.js';
import { showError } from './errors.js';
import { curvesChart, setCurves } from './charts.js';
import { $, el } from './dom.js';
import { ChallengeForm } from './challenge-form.js';
import { targetText, constraintsText, deadlineText, when, attemptText } from './challenge-text.js';

const code = document.body.dataset.classCode;
const id = document.body.dataset.challengeId;
const path = `/api/classes/${encodeURIComponent(code)}/challenges/${encodeURIComponent(id)}`;
let chart = null;
let form = null;
let curvesKey = null;

function renderDefinition(c, teacher) {
  $('challenge-title').textContent = c.title;
  $('challenge-state').textContent = t(`challenge.state.${c.state}`);
  $('challenge-state').dataset.state = c.state;
  $('challenge-instructions').textContent = c.instructions;
  $('challenge-instructions').hidden = !c.instructions;
  $('challenge-target').textContent = teacher
    ? t('challenge.targetTeacher', c.target.metric, c.target.op === '>=' ? '≥' : '≤', formatNumber(c.target.value),
      c.heldOutRows, c.trainRows)
    : t('challenge.target', c.target.metric, c.target.op === '>=' ? '≥' : '≤', formatNumber(c.target.value));
  $('challenge-constraints').textContent = constraintsText(c.constraints);
  $('challenge-deadline').textContent = deadlineText(c.deadline);
  document.title = `${c.title} · Sinapsis`;
}

function renderStudent(view) {
  const c = view.challenge;
  $('student-part').hidden = false;
  $('attempts-left').textContent = view.attemptsLeft !== undefined
    ? t('challenge.attemptsLeft', view.attemptsLeft, c.attempts)
    : t('challenge.attemptsUnlimited', view.attemptsUsed);
  $('why-not').textContent = view.whyNot || '';
  $('new-attempt').hidden = !view.canAttempt;
  $('new-attempt').href = `/?class=${encodeURIComponent(code)}&challenge=${encodeURIComponent(id)}`;
  $('best-attempt').textContent = view.best ? t('challenge.best', c.target.metric, formatNumber(view.best.score)) : '';
  $('no-attempts').hidden = view.attempts.length > 0;
  $('my-attempts').replaceChildren(...view.attempts.slice().reverse().map((a) => el('li', { className: 'my-item attempt-item', dataset: { state: a.state, met: String(Boolean(a.met)) } },
    el('a', { href: a.url, text: when(a.startedAt) }),
    el('span', { className: 'meta attempt-outcome', text: attemptText(a, c.target) }))));
}

function renderTeacher(view) {
  const c = view.challenge;
  $('teacher-part').hidden = false;
  $('edit-card').hidden = false;
  $('compare-card').hidden = false;
  $('toggle-open').textContent = t(c.state === 'open' ? 'challenge.close' : 'challenge.open');
  $('toggle-open').dataset.next = c.state === 'open' ? 'closed' : 'open';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  $('download-gradebook').href = `${path}/results.csv?lang=${document.documentElement.lang}&tz=${encodeURIComponent(zone)}`;
  $('back-to-board').href = `/classes/${encodeURIComponent(code)}/board`;
  $('challenge-summary').textContent = t('challenge.summary', view.tried, view.met);
  $('results-empty').hidden = view.students.length > 0;
  const table = $('results');
  table.replaceChildren();
  table.createTHead().append(el('tr', {}, ...[t('challenge.student'), t('challenge.attemptsUsed'),
    `${t('challenge.bestScore')} (${c.target.metric})`, t('challenge.metColumn'), t('challenge.when'), t('challenge.session')]
    .map((h) => el('th', { text: h }))));
  const body = table.createTBody();
  view.students.forEach((s) => {
    const best = s.best;
    const attempts = c.attempts ? `${s.attemptsUsed} / ${c.attempts}` : String(s.attemptsUsed);
    body.append(el('tr', { dataset: { student: s.id, met: String(s.met) } },
      el('td', { className: 'student-name', text: s.name }),
      el('td', { text: s.going ? `${attempts} · ${t('challenge.going')}` : attempts }),
      el('td', { className: 'best-score', text: best ? formatNumber(best.score) : '—' }),
      el('td', {}, best ? el('span', { className: 'badge met-badge', dataset: { met: String(s.met) }, text: t(s.met ? 'challenge.yes' : 'challenge.no') }) : '—'),
      el('td', { text: best ? when(best.endedAt) : '—' }),
      el('td', {}, best ? el('a', { href: best.url, text: t('class.open'), target: '_blank' }) : '—')));
  });
  renderCurves(view.students.filter((s) => s.best && s.best.curve));
  if (!form) {
    form = new ChallengeForm($('edit-challenge').querySelector('form'), code, (saved) => render(saved), c);
  }
}

/** The best attempts' training losses on one chart, one line per student. */
function renderCurves(students) {
  const key = students.map((s) => `${s.id}:${s.best.sessionId}`).join(',');
  if (key === curvesKey) return;
  curvesKey = key;
  if (!chart) chart = curvesChart($('compare-chart'));
  setCurves(chart, students.map((s) => ({
    label: s.name,
    points: s.best.curve.epochs.map((x, i) => ({ x, y: s.best.curve.loss[i] })),
  })));
}

function render(view) {
  renderDefinition(view.challenge, view.role === 'teacher');
  if (view.role === 'teacher') renderTeacher(view);
  else renderStudent(view);
}

async function refresh() {
  render(await api(path));
}

async function start() {
  $('toggle-open').addEventListener('click', async () => {
    try {
      render(await api(path, { method: 'PATCH', body: { state: $('toggle-open').dataset.next } }));
    } catch (e) {
      showError('', e instanceof ApiFailure ? e.message : t('error.network'));
    }
  });
  await refresh();
  // a class trains while the page is open: its standings follow, every few seconds while it is seen
  setInterval(() => { if (!document.hidden) refresh().catch(() => {}); }, 3000);
  document.body.dataset.ready = 'true';
}

start().catch((e) => { showError('', e.message); document.body.dataset.ready = 'true'; });
