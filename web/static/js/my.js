// "My sessions": the sessions this browser created or forked, newest first, each with its status,
// final loss and a small loss curve.
import { api } from './api.js';
import { t, formatNumber, lang } from './i18n.js';
import { ownedIds, keepOnly } from './owned.js';
import { sparkline } from './sparkline.js';

const $ = (id) => document.getElementById(id);

function item(session) {
  const li = document.createElement('li');
  li.className = 'my-item';
  li.dataset.id = session.id;
  const info = document.createElement('div');
  const link = document.createElement('a');
  link.href = session.url;
  link.textContent = session.name || session.dataset || t('session.untitled');
  const meta = document.createElement('div');
  meta.className = 'meta';
  const created = new Date(session.createdAt).toLocaleString(lang);
  meta.textContent = `${t('my.created')}: ${created} · ${t('my.epochs')}: ${session.epochs} · `
    + `${t('my.finalLoss')}: ${formatNumber(session.finalLoss)}`;
  info.append(link, meta);
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.status = session.status;
  badge.textContent = t(`state.${session.status}`);
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('chart.loss'));
  const pick = document.createElement('input');
  pick.type = 'checkbox';
  pick.className = 'compare-pick';
  pick.value = session.id;
  pick.setAttribute('aria-label', t('compare.pick'));
  pick.addEventListener('change', updateCompare);
  li.append(pick, info, badge, canvas);
  sparkline(canvas, session.curve);
  return li;
}

function updateCompare() {
  const picked = [...document.querySelectorAll('.compare-pick:checked')].map((box) => box.value);
  const link = $('compare-selected');
  link.hidden = picked.length < 2;
  link.href = `/compare?ids=${picked.map(encodeURIComponent).join(',')}`;
}

async function start() {
  const ids = ownedIds();
  let sessions = [];
  if (ids.length) {
    sessions = await api(`/api/sessions?ids=${ids.map(encodeURIComponent).join(',')}`);
    keepOnly(sessions.map((s) => s.id));
  }
  $('my-list').replaceChildren(...sessions.map(item));
  $('my-empty').hidden = sessions.length > 0;
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  const error = $('general-error');
  error.textContent = `${t('error.network')} (${e.message})`;
  error.classList.add('visible');
});
