// "My sessions": the sessions this browser created or forked, newest first, each with its status,
// final loss and a small loss curve.
import { api } from './api.js';
import { t, formatNumber, lang } from './i18n.js';
import { ownedIds, keepOnly, ownedSearchIds, keepOnlySearches } from './owned.js';
import { sparkline } from './sparkline.js';
import { $, el } from './dom.js';

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
  meta.textContent = `${t('my.created')}: ${created} · ${t('my.epochs')}: ${formatNumber(session.epochs)} · `
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

/** A grid search: what it varies, how far it got, its best score and the refit session. */
function searchItem(search, datasets) {
  const dataset = datasets.get(search.dataset);
  const title = dataset ? `${t('my.searchUntitled')} · ${dataset}` : t('my.searchUntitled');
  const meta = [t('my.searchMeta', new Date(search.createdAt).toLocaleString(lang), formatNumber(search.runsDone),
    formatNumber(search.runsTotal), search.params.map((p) => p.replace(/^training\./, '')).join(', '))];
  if (search.best) meta.push(t('my.searchBest', t(`search.scoring.${search.scoring}`), formatNumber(search.best.meanScore)));
  return el('li', { className: 'my-item search-item', dataset: { id: search.id } },
    el('div', {}, el('a', { href: search.url, text: title }), el('div', { className: 'meta', text: meta.join(' · ') }),
      search.bestSessionUrl ? el('a', { href: search.bestSessionUrl, className: 'refit-link', text: t('search.openBest') }) : null),
    el('span', { className: 'badge', dataset: { status: search.status }, text: t(`search.status.${search.status}`) }));
}

async function listSearches() {
  const ids = ownedSearchIds();
  if (!ids.length) return;
  const [searches, datasets] = await Promise.all([
    api(`/api/searches?ids=${ids.map(encodeURIComponent).join(',')}`), api('/api/datasets')]);
  keepOnlySearches(searches.map((s) => s.id));
  const names = new Map(datasets.map((d) => [d.id, d.name[lang] || d.name.en]));
  $('my-searches').replaceChildren(...searches.map((search) => searchItem(search, names)));
  $('my-searches-box').hidden = searches.length === 0;
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
  await listSearches();
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  const error = $('general-error');
  error.textContent = `${t('error.network')} (${e.message})`;
  error.classList.add('visible');
});
