// The console panel: model.summary() and one line per epoch, as Keras prints them.
import { t, formatFixed, formatNumber } from './i18n.js';

const MAX_LINES = 2000;

/** A loss as Keras prints it (4 decimals, or scientific below 1e-3), with the page's decimal separator. */
export function kerasNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'nan';
  if (value !== 0 && Math.abs(value) < 1e-3) { // 1.2346e-05, with the page's decimal separator
    const [mantissa, exponent] = value.toExponential(4).split('e');
    return `${formatFixed(Number(mantissa), 4)}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
  }
  return formatFixed(value, 4);
}

/** model.summary(): Layer (type) | Output Shape | Param #, then the totals. */
export function summaryText(summary) {
  const pad = (s, n) => String(s).padEnd(n);
  // columns as wide as their longest entry (max_pooling2d_1 (MaxPooling2D) is 32 characters)
  const names = summary.layers.map((l) => `${l.layer} (${l.type})`);
  const first = Math.max(26, ...names.map((n) => n.length + 2));
  const second = Math.max(20, ...summary.layers.map((l) => l.outputShape.length + 2));
  const width = first + second + 12;
  const line = '─'.repeat(width);
  let text = `Model: "sequential"\n${line}\n${pad(t('summary.layer'), first)}${pad(t('summary.outputShape'), second)}`
    + `${t('summary.params')}\n${'═'.repeat(width)}\n`;
  summary.layers.forEach((l, i) => { text += `${pad(names[i], first)}${pad(l.outputShape, second)}${formatNumber(l.parameters)}\n`; });
  text += `${'═'.repeat(width)}\n${t('summary.total', summary.totalParameters)}\n`
    + `${t('summary.trainable', summary.trainableParameters)}\n${t('summary.nonTrainable', summary.nonTrainableParameters)}\n`
    + line;
  return text;
}

/** `Epoch 3/500 - loss: 0.1234 - val_loss: 0.2345` (and accuracy, val_accuracy when measured). */
export function epochLine(event, total) {
  let text = `Epoch ${event.epoch}/${total} - loss: ${kerasNumber(event.loss)}`;
  const metrics = event.metrics || {};
  if (metrics.accuracy !== undefined) text += ` - accuracy: ${kerasNumber(metrics.accuracy)}`;
  if (event.valLoss !== undefined) text += ` - val_loss: ${kerasNumber(event.valLoss)}`;
  if (metrics.val_accuracy !== undefined) text += ` - val_accuracy: ${kerasNumber(metrics.val_accuracy)}`;
  return text;
}

export class TrainingConsole {
  constructor(element) {
    this.element = element;
    this.head = '';
    this.lines = [];
    this.pending = false;
    this.follow = true; // keep the newest line in view until the reader scrolls up
    element.addEventListener('scroll', () => {
      this.follow = element.scrollTop + element.clientHeight >= element.scrollHeight - 4;
    });
  }

  /** Starts over with the model's summary. */
  start(summary) {
    this.head = summary ? `${summaryText(summary)}\n` : '';
    this.lines = [];
    this.lastEpoch = 0;
    this.pendingStop = null;
    this.follow = true;
    this.render();
  }

  epochs(events, total) {
    this.lines = this.lines.filter((line) => line !== this.progressLine);
    this.progressLine = null;
    events.forEach((e) => {
      this.lines.push(epochLine(e, total));
      this.lastEpoch = e.epoch;
      if (this.pendingStop && e.epoch >= this.pendingStop.stoppedEpoch) this.printStop();
    });
    this.render();
  }

  /** Keras's progress line for the epoch under way (157/1875 ━━━━… loss: 0.5432), replaced as it advances. */
  batch(progress) {
    const width = 20;
    const done = Math.round((progress.batch / progress.batches) * width);
    let line = `${progress.batch}/${progress.batches} ${'━'.repeat(done)}${'─'.repeat(width - done)} `
      + `loss: ${kerasNumber(progress.loss)}`;
    if (progress.accuracy !== undefined) line += ` - accuracy: ${kerasNumber(progress.accuracy)}`;
    if (this.progressLine !== null && this.progressLine !== undefined) {
      const index = this.lines.lastIndexOf(this.progressLine);
      if (index >= 0) this.lines.splice(index, 1);
    }
    this.progressLine = `Epoch ${progress.epoch}: ${line}`;
    this.lines.push(this.progressLine);
    this.render();
  }

  print(text) {
    this.lines.push(text);
    this.render();
  }

  /**
   * What Keras prints when EarlyStopping ends a run, after the line of the epoch it stopped at (a
   * finished session's result can arrive before its history has been replayed).
   */
  earlyStop(stop) {
    this.pendingStop = stop;
    if ((this.lastEpoch || 0) >= stop.stoppedEpoch) this.printStop();
    this.render();
  }

  printStop() {
    const stop = this.pendingStop;
    this.pendingStop = null;
    if (stop.restoredBest) this.lines.push(`Restoring model weights from the end of the best epoch: ${stop.bestEpoch}.`);
    this.lines.push(`Epoch ${stop.stoppedEpoch}: early stopping`);
  }

  render() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      let shown = this.lines;
      if (shown.length > MAX_LINES) {
        this.lines = shown.slice(-MAX_LINES);
        shown = [`… ${t('console.earlier')}`].concat(this.lines);
      }
      this.element.textContent = this.head + shown.join('\n');
      if (this.follow) this.element.scrollTop = this.element.scrollHeight;
    });
  }
}
