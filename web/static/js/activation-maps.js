// What an image network's filters respond to: for a chosen test image, the first 8 channels of
// every convolution and pooling layer, fetched again after each epoch (at most one request in
// flight), drawn in grey levels from each map's own minimum to its maximum.
import { api, ApiFailure } from './api.js';
import { t } from './i18n.js';
import { $, el, bytes } from './dom.js';
import { showError, clearErrors } from './errors.js';

/** A grey-level canvas of `values` (0–255), `width` × `height`. */
function greyCanvas(values, width, height, className) {
  const canvas = el('canvas', { className, width, height });
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  values.forEach((v, i) => image.data.set([v, v, v, 255], i * 4));
  context.putImageData(image, 0, 0);
  return canvas;
}

export class ActivationMapsView {
  constructor() {
    this.session = null;
    this.loading = false;
    this.shownEpoch = -1;
    this.wanted = -1;
    $('maps-image').addEventListener('change', () => { this.shownEpoch = -1; this.refresh(this.wanted, true); });
  }

  /** An image session: the box shown with a choice of its first images; else hidden. */
  async setSession(session) {
    this.session = session;
    const image = Boolean(session.data.image);
    $('maps-box').hidden = !image;
    this.shownEpoch = -1;
    if (!image) return;
    const samples = await api(`/api/sessions/${encodeURIComponent(session.id)}/samples?count=8`);
    if (this.session !== session) return;
    this.samples = samples;
    const names = session.data.classNames && session.data.classNames.length ? session.data.classNames : session.data.classes;
    $('maps-image').replaceChildren(...samples.images.map((s, i) => new Option(`${i + 1} · ${names[s.label] ?? s.label}`, String(i))));
    $('maps-layers').replaceChildren();
    this.refresh(0, true);
  }

  /** After epoch `epoch`: the maps again, by the model as it is now (skipped while a request is out). */
  async refresh(epoch, force = false) {
    this.wanted = Math.max(this.wanted, epoch);
    if (!this.session || !this.session.data.image || this.loading || (!force && epoch <= this.shownEpoch)) return;
    const session = this.session;
    const sample = Number($('maps-image').value || 0);
    this.loading = true;
    clearErrors('sample');
    try {
      const maps = await api(`/api/sessions/${encodeURIComponent(session.id)}/activations?sample=${sample}`);
      if (this.session !== session) return;
      this.shownEpoch = maps.epoch;
      this.draw(maps, sample);
    } catch (e) {
      // before the first epoch there is no model yet: the box waits for one
      if (e instanceof ApiFailure && e.field === 'sample') showError('sample', e.message);
    } finally {
      this.loading = false;
    }
    if (this.wanted > this.shownEpoch && this.session === session) setTimeout(() => this.refresh(this.wanted), 200);
  }

  draw(maps, sample) {
    const { width, height } = this.samples;
    const picture = this.samples.images[sample];
    if (picture) {
      const input = $('maps-input');
      input.width = width;
      input.height = height;
      const context = input.getContext('2d');
      const image = context.createImageData(width, height);
      picture.pixels.forEach((v, i) => image.data.set([v, v, v, 255], i * 4));
      context.putImageData(image, 0, 0);
    }
    $('maps-layers').replaceChildren(...maps.layers.map((layer) => el('div', { className: 'maps-layer', dataset: { layer: layer.index } },
      el('p', { className: 'maps-title', text: t('images.mapsLayer', layer.type, layer.height, layer.width, layer.channels) }),
      el('div', { className: 'maps-row' }, ...layer.maps.map((map) => greyCanvas(bytes(map.values), layer.width, layer.height, 'map'))))));
  }
}
