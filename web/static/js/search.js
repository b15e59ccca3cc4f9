// A grid search's page: the live table of combinations (mean and standard deviation of the score,
// rank), their loss curves on one chart, and a link to the best combination refit on all the data.
import { api } from './api.js';
import { t, formatNumber } from './i18n.js';
import { curvesChart, setCurves, chartControls } from './charts.js';
import { remember, rememberSearch } from './owned.js';
import { el } from './dom.js';
import { follow } from './socket.js';
import { $ } from './dom.js';

const searchId = document.body.dataset.searchId;
let chart = null;
let owner = false;
let rememberedBest = null;

/** "learningRate = 0.1, units = 8": a combination's values, by the last part of each field path. */
export function describe(params) {
  return Object.entries(params).map(([path, value]) => `${path.replace(/^training\./, '')} = ${show(value)}`).join(', ');
}

const show = (value) => (typeof value === 'number' ? formatNumber(value) : String(value));

/** "dense 4 tanh → dense 1 sigmoid": a network in one line. */
export function networkLine(layers) {
  return layers.map((l) => [l.type, l.units ?? l.filters ?? l.size ?? l.rate, l.activation ? t(`activation.${l.activation}`) : null]
    .filter((part) => part !== undefined && part !== null).join(' ')).join(' → ');
}

const CHOICE_KEYS = { loss: 'loss', optimizer: 'optimizer' };

/** A fixed training setting as the form labels it: "Tasa de aprendizaje: 0,1". */
function settingText(field, value) {
  let shown = value;
  if (typeof value === 'boolean') shown = t(value ? 'common.yes' : 'common.no');
  else if (typeof value === 'number') shown = formatNumber(value);
  else if (CHOICE_KEYS[field]) shown = t(`${CHOICE_KEYS[field]}.${value}`);
  return `${t(`training.${field}`)}: ${shown}`;
}

/** What every combination shares (the settings the editor held that the grid does not vary). */
function renderFixed(search) {
  const base = search.base;
  if (!base || !base.training) return;
  const varied = new Set(search.params);
  const items = [];
  if (![...varied].some((p) => p.startsWith('network.'))) items.push(t('search.fixedNetwork', networkLine(base.network.layers)));
  for (const [field, value] of Object.entries(base.training)) {
    if (field === 'earlyStopping' || field === 'task' || varied.has(`training.${field}`)) continue;
    items.push(settingText(field, value));
  }
  const early = base.training.earlyStopping;
  items.push(early ? t('search.fixedEarlyStopping', early.monitor, formatNumber(early.patience), formatNumber(early.minDelta),
    early.restoreBestWeights ? t('search.fixedRestores') : '') : t('search.noEarlyStopping'));
  $('search-fixed-list').replaceChildren(...items.map((text) => el('li', { text })));
  $('search-fixed').hidden = false;
}

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
  renderFixed(search);

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

function followSearch() {
  const feed = follow(`/ws/searches/${encodeURIComponent(searchId)}`, {
    onMessage: (data) => {
      if (data.type !== 'search') return;
      render(data.search);
      if (!['queued', 'running'].includes(data.search.status)) {
        feed.close();
        // read it once more with this browser's cookie: the owner gets the refit session's cookie
        refresh();
      }
    },
  });
}

async function refresh() {
  const search = await api(`/api/searches/${encodeURIComponent(searchId)}`);
  owner = search.owner;
  if (owner) rememberSearch(search.id);
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
  if (['queued', 'running'].includes(search.status)) followSearch();
  document.body.dataset.ready = 'true';
}

start().catch((e) => { $('general-error').textContent = `${t('error.network')} (${e.message})`; $('general-error').classList.add('visible'); });
