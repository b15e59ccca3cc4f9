// A student's page of their class: their own sessions and, when the teacher shows it, the leaderboard.
import { api } from './api.js';
import { t, formatNumber } from './i18n.js';
import { showError } from './errors.js';
import { sparkline } from './sparkline.js';
import { $, el } from './dom.js';
import { targetText } from './challenge-text.js';

const code = document.body.dataset.classCode;

async function start() {
  const info = await api(`/api/classes/${encodeURIComponent(code)}/student`);
  $('class-title').textContent = t('class.inClass', info.name, info.student ? info.student.name : '');
  $('new-class-session').href = `/?class=${encodeURIComponent(info.code)}`;
  $('class-sessions-empty').hidden = (info.sessions || []).length > 0;
  $('class-sessions').replaceChildren(...(info.sessions || []).map((s) => {
    const li = document.createElement('li');
    li.className = 'my-item';
    const a = document.createElement('a');
    a.href = s.url;
    a.textContent = s.name || s.dataset || t('session.untitled');
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${t(`state.${s.status}`)} · ${t('class.epoch')} ${formatNumber(s.epochs)} · ${t('class.loss')} ${formatNumber(s.loss)}`;
    const canvas = document.createElement('canvas');
    li.append(a, meta, canvas);
    sparkline(canvas, s.curve);
    return li;
  }));
  const challenges = await api(`/api/classes/${encodeURIComponent(code)}/challenges`);
  $('class-challenges-card').hidden = challenges.length === 0;
  $('class-challenges').replaceChildren(...challenges.map((view) => el('li', { className: 'my-item' },
    el('a', { href: view.challenge.url, text: view.challenge.title }),
    el('span', { className: 'meta', text: targetText(view.challenge.target) }),
    el('span', { className: 'badge', dataset: { state: view.challenge.state }, text: t(`challenge.state.${view.challenge.state}`) }))));
  if (info.leaders) {
    $('leaderboard-card').hidden = false;
    $('leaders').replaceChildren(...info.leaders.map((l) => {
      const li = document.createElement('li');
      li.textContent = `${l.name} — ${l.metric}: ${formatNumber(l.value)}`;
      return li;
    }));
  }
  document.body.dataset.ready = 'true';
}

start().catch((e) => { showError('', e.message); document.body.dataset.ready = 'true'; });
