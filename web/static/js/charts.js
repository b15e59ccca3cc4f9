// Chart.js (from the webjar, loaded as a global) for the live loss curve and the fitted-curve plot.
import { t } from './i18n.js';

const Chart = window.Chart;
const COLORS = { loss: '#2563eb', val_loss: '#f97316', accuracy: '#16a34a', val_accuracy: '#a855f7' };

export function lossChart(canvas) {
  const dataset = (key, axis) => ({
    label: t(`chart.${key === 'loss' ? 'loss.label' : key}`), data: [], borderColor: COLORS[key], backgroundColor: COLORS[key],
    pointRadius: 0, borderWidth: 2, yAxisID: axis, hidden: false,
  });
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [dataset('loss', 'y'), dataset('val_loss', 'y'), dataset('accuracy', 'y1'), dataset('val_accuracy', 'y1')] },
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

function hand(chart) {
  // assigning goes through the decimation plugin's setter, which keeps the array as the full data
  chart.data.datasets.forEach((d, i) => { d.data = chart.$series[i]; });
}

export function resetLossChart(chart, epochs) {
  chart.$series = chart.data.datasets.map(() => []);
  hand(chart);
  chart.options.scales.x.max = epochs;
  chart.options.scales.y1.display = false;
  chart.update('none');
}

/** Appends epoch events; one point per epoch per series. */
export function addEpochs(chart, events) {
  if (!chart.$series) resetLossChart(chart, chart.options.scales.x.max);
  const [loss, valLoss, accuracy, valAccuracy] = chart.$series;
  for (const e of events) {
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
