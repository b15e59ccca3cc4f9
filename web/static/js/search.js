// A grid search's page: the live table of combinations (mean and standard deviation of the score,
// rank), their loss curves on one chart, and a link to the best combination refit on all the data.
import { api } from './api.js';
import { t, formatNumber } from './i18n.js';
import { curvesChart, setCurves, chartControls } from './charts.js';
import { remember } from './owned.js';

const $ = (id) => document.getElementById(id);
const searchId = document.body.dataset.searchId;
let chart = null;
let owner = false;
let rememberedBest = null;

/** "learningRate = 0.1, units = 8": a combination's values, by the last part of each field path. */
export function describe(params) {
  return Object.entries(params).map(([path, value]) => `${path.replace(/^training\./, '')} = ${show(value)}`).join(', ');
}

const show = (value) => (typeof value === 'number' ? formatNumber(value) : String(value));

function render(search) {
  const over = !['queued', 'running'].includes(search.status);
  $('search-status').textContent = t(`search.status.${search.status}`);
  $('search-status').dataset.status = search.status;
  $('search-progress').max = search.runsTotal;
  $('search-progress').value = search.runsDone;
  $('search-progress-text').textContent = t('search.progress', search.runsDone, search.runsTotal);
  $('search-summary').textContent = t('search.summary', search.results.length, search.folds,
    t(`search.scoring.${search.scoring}`));
  $('search-stop').hidden = !owner || over;

  const table = $('search-table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  const headers = [t('search.rank')].concat(search.params,
    [t('search.mean'), t('search.std')], Array.from({ length: search.folds }, (_, f) => t('search.fold', f + 1)),
    [t('search.state')]);
  headers.forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
  const body = table.createTBody();
  search.results.forEach((result, i) => {
    const row = body.insertRow();
    row.dataset.index = String(i);
    if (result.rank === 1) row.classList.add('best');
    const cells = [result.rank ?? '—'].concat(search.params.map((p) => show(result.params[p])),
      [formatNumber(result.meanScore), formatNumber(result.stdScore)],
      result.scores.map((s) => formatNumber(s)), [t(`search.state.${result.status}`)]);
    cells.forEach((c) => { row.insertCell().textContent = c; });
    if (result.rank === 1 && search.bestSessionUrl) {
      const link = document.createElement('a');
      link.href = search.bestSessionUrl;
      link.className = 'best-row-link';
      link.textContent = t('search.refit');
      row.insertCell().appendChild(link);
    }
  });

  if (search.best && search.bestSessionUrl) {
    $('search-best').hidden = false;
    $('search-best-text').textContent = t('search.bestIs', describe(search.best.params),
      formatNumber(search.best.meanScore), formatNumber(search.best.stdScore));
    $('best-session-link').href = search.bestSessionUrl;
    if (owner && rememberedBest !== search.bestSessionId) {
      rememberedBest = search.bestSessionId;
      remember(search.bestSessionId);
    }
  }
  setCurves(chart, search.results.map((r) => ({
    label: describe(r.params), points: r.curve.map(([x, y]) => ({ x, y })), width: r.rank === 1 ? 3 : 1.5,
  })));
}

function follow() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws/searches/${encodeURIComponent(searchId)}`);
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type !== 'search') return;
    render(data.search);
    if (!['queued', 'running'].includes(data.search.status)) {
      socket.close();
      // read it once more with this browser's cookie: the owner gets the refit session's cookie
      refresh();
    }
  };
  socket.onclose = (event) => {
    if (event.code !== 1000 && event.code !== 1005 && event.code !== 4404) setTimeout(follow, 1000);
  };
}

async function refresh() {
  const search = await api(`/api/searches/${encodeURIComponent(searchId)}`);
  owner = search.owner;
  render(search);
  return search;
}

async function start() {
  if (!searchId || !$('search-table')) {
    document.body.dataset.ready = 'true';
    return;
  }
  chart = curvesChart($('search-chart'));
  chartControls(chart, $('search-chart-area'), 'grid-search');
  $('search-stop').addEventListener('click', async () => {
    render(await api(`/api/searches/${encodeURIComponent(searchId)}/stop`, { method: 'POST' }));
  });
  const search = await refresh();
  if (['queued', 'running'].includes(search.status)) follow();
  document.body.dataset.ready = 'true';
}

start().catch((e) => { $('general-error').textContent = `${t('error.network')} (${e.message})`; $('general-error').classList.add('visible'); });
