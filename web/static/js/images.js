// Image sessions: a grid of test images with predicted and true classes (mistakes in red), and a
// box to draw or upload an image and see what the network says.
import { api } from './api.js';
import { t, formatNumber } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { $ } from './dom.js';

/** Class names in the page's language when the data set has them, else the labels. */
export function classNames(session) {
  const names = session.data.classNames;
  return names && names.length ? names : session.data.classes;
}

/** Paints grey levels (0–255, row by row) on a canvas, each pixel `scale` wide. */
function paint(canvas, pixels, width, height, scale) {
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  pixels.forEach((value, i) => {
    image.data.set([value, value, value, 255], i * 4);
  });
  const small = document.createElement('canvas');
  small.width = width;
  small.height = height;
  small.getContext('2d').putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(small, 0, 0, width * scale, height * scale);
}

export async function renderSamples(session) {
  const answer = await api(`/api/sessions/${encodeURIComponent(session.id)}/samples?count=24`);
  const names = classNames(session);
  const grid = $('samples-grid');
  grid.replaceChildren();
  const titles = { test: 'images.samplesTitle', validation: 'images.samplesTitleValidation' };
  $('samples-title').textContent = t(titles[answer.split] || 'images.samplesTitleTraining');
  for (const image of answer.images) {
    const figure = document.createElement('figure');
    figure.className = 'sample';
    const wrong = image.predicted !== undefined && image.predicted !== image.label;
    figure.classList.toggle('mistake', wrong);
    const canvas = document.createElement('canvas');
    paint(canvas, image.pixels, answer.width, answer.height, 3);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', names[image.label]);
    const caption = document.createElement('figcaption');
    const predicted = document.createElement('span');
    predicted.className = 'predicted';
    predicted.textContent = image.predicted === undefined ? ''
      : t('images.predicted', names[image.predicted], `${Math.round(image.probability * 100)} %`);
    const truth = document.createElement('span');
    truth.className = 'truth';
    truth.textContent = t('images.truth', names[image.label]);
    caption.append(predicted, truth);
    figure.append(canvas, caption);
    grid.appendChild(figure);
  }
  $('samples-box').hidden = false;
}

/**
 * A canvas to draw on with mouse, pen or finger (light strokes on black, as the images are), or to
 * load a picture into; its content is reduced to the data's size in grey levels and sent to predict.
 */
export class DrawBox {
  constructor(predict) {
    this.predict = predict;
    this.canvas = $('draw-canvas');
    this.context = this.canvas.getContext('2d');
    this.session = null;
    this.drawing = false;
    this.clear();
    this.canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.stroke(e, true);
    });
    this.canvas.addEventListener('pointermove', (e) => { if (this.drawing) this.stroke(e, false); });
    this.canvas.addEventListener('pointerup', () => { this.drawing = false; this.last = null; });
    $('draw-clear').addEventListener('click', () => this.clear());
    $('draw-predict').addEventListener('click', () => this.send());
    $('draw-upload').addEventListener('change', () => this.upload($('draw-upload').files[0]));
  }

  use(session) {
    this.session = session;
    this.clear();
  }

  clear() {
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.empty = true;
    $('draw-output').replaceChildren();
  }

  stroke(event, start) {
    const box = this.canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) * this.canvas.width) / box.width;
    const y = ((event.clientY - box.top) * this.canvas.height) / box.height;
    const c = this.context;
    c.strokeStyle = '#fff';
    c.fillStyle = '#fff';
    c.lineWidth = this.canvas.width / 12;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    if (start || !this.last) {
      this.last = null;
      c.beginPath();
      c.arc(x, y, c.lineWidth / 2, 0, Math.PI * 2);
      c.fill();
    } else {
      c.beginPath();
      c.moveTo(this.last.x, this.last.y);
      c.lineTo(x, y);
      c.stroke();
    }
    this.last = { x, y };
    this.empty = false;
  }

  /** An uploaded picture, fitted into the square and turned grey; a light background is inverted to dark. */
  upload(file) {
    if (!file) return;
    const image = new Image();
    image.onload = () => {
      this.clear();
      const side = this.canvas.width;
      const scale = Math.min(side / image.width, side / image.height);
      const w = image.width * scale;
      const h = image.height * scale;
      this.context.drawImage(image, (side - w) / 2, (side - h) / 2, w, h);
      const data = this.context.getImageData(0, 0, side, side);
      let sum = 0;
      for (let i = 0; i < data.data.length; i += 4) sum += grey(data.data, i);
      const invert = sum / (data.data.length / 4) > 127;
      for (let i = 0; i < data.data.length; i += 4) {
        const g = invert ? 255 - grey(data.data, i) : grey(data.data, i);
        data.data.set([g, g, g, 255], i);
      }
      this.context.putImageData(data, 0, 0);
      this.empty = false;
      URL.revokeObjectURL(image.src);
    };
    image.src = URL.createObjectURL(file);
  }

  /** The drawing at the data's size: the canvas scaled down, grey levels 0–255. */
  pixels() {
    const { width, height } = this.session.data.image;
    const small = document.createElement('canvas');
    small.width = width;
    small.height = height;
    const context = small.getContext('2d');
    context.drawImage(this.canvas, 0, 0, width, height);
    const data = context.getImageData(0, 0, width, height).data;
    const pixels = [];
    for (let i = 0; i < data.length; i += 4) pixels.push(Math.round(grey(data, i)));
    return pixels;
  }

  async send() {
    clearErrors('inputs');
    if (!this.session || !this.session.result) {
      showError('inputs', t('images.notTrained'));
      return;
    }
    if (this.empty) {
      showError('inputs', t('images.drawSomething'));
      return;
    }
    try {
      const answer = await this.predict([this.pixels()]);
      this.show(answer.outputs[0]);
    } catch (e) {
      showError('inputs', e.message);
    }
  }

  /** The classes from most to least probable, with bars. */
  show(probabilities) {
    const names = classNames(this.session);
    const ranked = probabilities.map((p, i) => ({ p, name: names[i] })).sort((a, b) => b.p - a.p).slice(0, 5);
    const list = $('draw-output');
    list.replaceChildren();
    for (const { p, name } of ranked) {
      const item = document.createElement('li');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.max(2, p * 100)}%`;
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = `${name}: ${formatNumber(p)}`;
      item.append(label, bar);
      list.appendChild(item);
    }
  }
}

function grey(data, i) {
  return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
}
