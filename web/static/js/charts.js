// Chart.js (from the webjar, loaded as a global) for the live loss curve, the fitted-curve plot and
// the comparison charts; every line chart gets the same controls (log scale, smoothing, PNG, CSV).
import { lang, t } from './i18n.js';

const Chart = window.Chart;
// tick labels and tooltips in the page's language: 0,25 and 20.000 on a Spanish page
Chart.defaults.locale = lang;
const COLORS = { loss: '#2563eb', val_loss: '#f97316', accuracy: '#16a34a', val_accuracy: '#a855f7', data_loss: '#93c5fd' };
export const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#a855f7', '#dc2626', '#0891b2', '#ca8a04', '#db2777',
  '#4b5563', '#65a30d'];

// Vertical lines at chosen epochs (the best epoch, where early stopping ended the run), with a label.
const markersPlugin = {
  id: 'sinapsisMarkers',
  afterDatasetsDraw(chart) {
    const marks = chart.$markers || [];
    if (!marks.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.font = '12px system-ui, sans-serif';
    marks.forEach((m, i) => {
      const x = scales.x.getPixelForValue(m.x);
      if (x < chartArea.left - 1 || x > chartArea.right + 1) return;
      ctx.strokeStyle = m.color;
      ctx.fillStyle = m.color;
      ctx.setLineDash(m.dash || []);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      const width = ctx.measureText(m.label).width;
      const left = x + 4 + width > chartArea.right ? x - 4 - width : x + 4;
      ctx.fillText(m.label, left, chartArea.top + 14 + i * 15);
    });
    ctx.restore();
  },
};
Chart.register(markersPlugin);

/** Marks epochs on a chart: [{x, label, color, dash}]. */
export function setMarkers(chart, markers) {
  chart.$markers = markers;
  chart.update('none');
}

export function lossChart(canvas) {
  const dataset = (key, axis) => ({
    label: t(`chart.${key === 'loss' ? 'loss.label' : key}`), data: [], borderColor: COLORS[key], backgroundColor: COLORS[key],
    pointRadius: 0, borderWidth: 2, yAxisID: axis, hidden: false,
  });
  return new Chart(canvas, {
    type: 'line',
    // data_loss: the loss without the weights' penalty, drawn only for a regularised run
    data: { datasets: [dataset('loss', 'y'), dataset('val_loss', 'y'), dataset('accuracy', 'y1'), dataset('val_accuracy', 'y1'),
      { ...dataset('data_loss', 'y'), borderDash: [5, 4] }] },
    options: {
      animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: t('chart.epoch') }, min: 1 },
        y: { title: { display: true, text: t('chart.lossAxis') } },
        y1: { position: 'right', min: 0, max: 1, display: false, grid: { drawOnChartArea: false },
          title: { display: true, text: t('chart.accuracyAxis') } },
      },
      plugins: {
        legend: { labels: { filter: (item, data) => data.datasets[item.datasetIndex].data.length > 0 } },
        // long runs: draw at most ~1000 points per series; the data itself stays complete
        decimation: { enabled: true, algorithm: 'lttb', samples: 1000, threshold: 2000 },
      },
    },
  });
}

/**
 * The complete series (loss, val_loss, accuracy, val_accuracy), one point per epoch. They live
 * outside the datasets: once a series passes the decimation threshold, Chart.js's `dataset.data`
 * returns the thinned copy it draws, and points pushed there would be lost at the next update.
 */
export function series(chart) {
  return chart.$series || [];
}

/** Exponential moving average, as TensorBoard smooths: 0 leaves the curve as it is. */
function smooth(points, weight) {
  if (!weight) return points;
  let last = null;
  return points.map((p) => {
    last = last === null ? p.y : last * weight + p.y * (1 - weight);
    return { x: p.x, y: last };
  });
}

function hand(chart) {
  // assigning goes through the decimation plugin's setter, which keeps the array as the full data
  chart.data.datasets.forEach((d, i) => { d.data = smooth(chart.$series[i], chart.$smoothing || 0); });
}

/** Gives a line chart its series (one array of {x, y} per dataset) and redraws. */
export function setSeries(chart, all) {
  chart.$series = all;
  hand(chart);
  chart.update('none');
}

/**
 * The controls every line chart has: logarithmic scale, smoothing, download as PNG and as CSV
 * (the raw series, one row per epoch). `name` becomes the file name.
 */
export function chartControls(chart, container, name) {
  const bar = document.createElement('div');
  bar.className = 'chart-controls';
  const log = document.createElement('label');
  log.className = 'check';
  const logBox = document.createElement('input');
  logBox.type = 'checkbox';
  logBox.className = 'log-scale';
  log.append(logBox, t('chart.logScale'));
  logBox.addEventListener('change', () => {
    chart.options.scales.y.type = logBox.checked ? 'logarithmic' : 'linear';
    chart.update('none');
  });
  const smoothing = document.createElement('label');
  smoothing.className = 'check';
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.min = '0';
  slider.max = '0.99';
  slider.step = '0.01';
  slider.value = '0';
  slider.className = 'smoothing';
  const value = document.createElement('span');
  value.textContent = '0';
  smoothing.append(t('chart.smoothing'), slider, value);
  slider.addEventListener('input', () => {
    chart.$smoothing = Number(slider.value);
    value.textContent = slider.value;
    if (chart.$series) hand(chart);
    chart.update('none');
  });
  const png = document.createElement('button');
  png.type = 'button';
  png.className = 'secondary small download-png';
  png.textContent = t('chart.downloadPng');
  png.addEventListener('click', () => download(`${name}.png`, chart.toBase64Image('image/png', 1)));
  const csv = document.createElement('button');
  csv.type = 'button';
  csv.className = 'secondary small download-csv';
  csv.textContent = t('chart.downloadCsv');
  csv.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([seriesCsv(chart)], { type: 'text/csv' }));
    download(`${name}.csv`, url);
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  bar.append(log, smoothing, png, csv);
  container.prepend(bar);
  return bar;
}

/** The chart's raw series as CSV: `epoch` and one column per non-empty dataset. */
export function seriesCsv(chart) {
  const all = chart.$series || [];
  const used = chart.data.datasets.map((d, i) => i).filter((i) => all[i] && all[i].length);
  const rows = new Map();
  used.forEach((i, column) => all[i].forEach((p) => {
    if (!rows.has(p.x)) rows.set(p.x, new Array(used.length).fill(''));
    rows.get(p.x)[column] = p.y;
  }));
  const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = ['epoch'].concat(used.map((i) => quote(String(chart.data.datasets[i].label))));
  const lines = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([x, values]) => [x].concat(values).join(','));
  return [header.join(',')].concat(lines).join('\n') + '\n';
}

function download(filename, href) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function resetLossChart(chart, epochs) {
  chart.$series = chart.data.datasets.map(() => []);
  chart.$provisional = null;
  chart.options.scales.x.min = 1;
  chart.$markers = [];
  hand(chart);
  chart.options.scales.x.max = epochs;
  chart.options.scales.y1.display = false;
  chart.update('none');
}

/** Removes the point a batch progress drew (the epoch under way), if any. */
function dropProvisional(chart) {
  if (!chart.$provisional) return;
  for (const index of chart.$provisional) chart.$series[index].pop();
  chart.$provisional = null;
}

/**
 * The epoch under way, at its fraction (epoch 3, batch 40 of 160: x = 2.25), with the mean loss and
 * accuracy of its batches so far, as Keras's progress bar shows them; replaced by the epoch's own
 * point when it ends.
 */
export function showBatchProgress(chart, progress) {
  if (!chart.$series) resetLossChart(chart, chart.options.scales.x.max);
  dropProvisional(chart);
  const x = progress.epoch - 1 + progress.batch / progress.batches;
  chart.$series[0].push({ x, y: progress.loss });
  chart.$provisional = [0];
  if (progress.accuracy !== undefined) {
    chart.$series[2].push({ x, y: progress.accuracy });
    chart.$provisional.push(2);
    chart.options.scales.y1.display = true;
  }
  if (progress.epoch === 1) chart.options.scales.x.min = 0;
  hand(chart);
  chart.update('none');
}

/** Appends epoch events; one point per epoch per series. */
export function addEpochs(chart, events) {
  if (!chart.$series) resetLossChart(chart, chart.options.scales.x.max);
  dropProvisional(chart);
  const [loss, valLoss, accuracy, valAccuracy, dataLoss] = chart.$series;
  for (const e of events) {
    if (e.metrics && e.metrics.data_loss !== undefined) dataLoss.push({ x: e.epoch, y: e.metrics.data_loss });
    loss.push({ x: e.epoch, y: e.loss });
    if (e.valLoss !== undefined) valLoss.push({ x: e.epoch, y: e.valLoss });
    if (e.metrics && e.metrics.accuracy !== undefined) accuracy.push({ x: e.epoch, y: e.metrics.accuracy });
    if (e.metrics && e.metrics.val_accuracy !== undefined) valAccuracy.push({ x: e.epoch, y: e.metrics.val_accuracy });
  }
  hand(chart);
  chart.options.scales.y1.display = accuracy.length > 0;
  chart.update('none');
}

export function scatterChart(canvas, points, curve, xLabel, yLabel, previous) {
  if (previous) previous.destroy();
  return new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        { label: t('chart.data'), data: points, backgroundColor: '#2563eb', pointRadius: 3 },
        { label: t('chart.fitted'), data: curve, type: 'line', borderColor: '#f97316', pointRadius: 0, borderWidth: 2 },
      ],
    },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: { x: { title: { display: true, text: xLabel } }, y: { title: { display: true, text: yLabel } } },
    },
  });
}

/** A chart of several loss curves (one per search combination or compared session). */
export function curvesChart(canvas, yLabel) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: t('chart.epoch') }, min: 1 },
        y: { title: { display: true, text: yLabel || t('chart.lossAxis') } },
      },
      plugins: { decimation: { enabled: true, algorithm: 'lttb', samples: 1000, threshold: 2000 } },
    },
  });
}

/** Replaces a curves chart's lines: [{label, points: [{x, y}], dash}], coloured in order. */
export function setCurves(chart, curves) {
  chart.data.datasets = curves.map((c, i) => ({
    label: c.label, data: [], borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length],
    pointRadius: 0, borderWidth: c.width || 2, borderDash: c.dash || [],
  }));
  setSeries(chart, curves.map((c) => c.points));
}
