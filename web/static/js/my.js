// "My sessions": the sessions this browser created or forked, newest first, each with its status,
// final loss and a small loss curve.
import { api } from './api.js';
import { t, formatNumber, lang } from './i18n.js';
import { ownedIds, keepOnly } from './owned.js';

const $ = (id) => document.getElementById(id);

/** A small loss curve, on a log scale when every value is positive (losses span decades). */
function sparkline(canvas, values) {
  const ratio = window.devicePixelRatio || 1;
  const width = 140;
  const height = 36;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  if (values.length < 2) return;
  const log = values.every((v) => v > 0);
  const ys = values.map((v) => (log ? Math.log10(v) : v));
  const min = Math.min(...ys);
  const span = Math.max(...ys) - min || 1;
  g.strokeStyle = '#2563eb';
  g.lineWidth = 1.5;
  g.beginPath();
  ys.forEach((y, i) => {
    const px = 2 + (i * (width - 4)) / (ys.length - 1);
    const py = 2 + (1 - (y - min) / span) * (height - 4);
    if (i === 0) g.moveTo(px, py);
    else g.lineTo(px, py);
  });
  g.stroke();
}

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
