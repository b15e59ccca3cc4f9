// The few DOM helpers every page uses: an element by id, and a new element with its text,
// class, attributes, listeners and children in one call.

/** The element with this id (null when the page has none). */
export const $ = (id) => document.getElementById(id);

/**
 * A new element: `el('a', { href, className: 'x', text: 'Open', dataset: { id }, on: { click } }, child…)`.
 * Other keys are set as properties when the element has them (value, type, hidden…), else as attributes.
 */
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') element.textContent = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'on') Object.entries(value).forEach(([event, handler]) => element.addEventListener(event, handler));
    else if (key in element) element[key] = value;
    else element.setAttribute(key, value);
  }
  element.append(...children.filter((c) => c !== null && c !== undefined));
  return element;
}

/** A table's head and body from rows of texts (the first cell of each row a header when rowHeaders). */
export function fillTable(table, header, rows, { rowHeaders = false } = {}) {
  table.replaceChildren();
  if (header) table.createTHead().append(el('tr', {}, ...header.map((h) => el('th', { text: h }))));
  const body = table.createTBody();
  rows.forEach((row) => {
    body.append(el('tr', {}, ...row.map((cell, i) => el(rowHeaders && i === 0 ? 'th' : 'td', { text: cell }))));
  });
}

/** The options of a select, as [value, label] pairs; keeps the value when it is still offered. */
export function setOptions(select, choices) {
  const kept = select.value;
  select.replaceChildren(...choices.map(([value, label]) => new Option(label, value)));
  if (choices.some(([value]) => value === kept)) select.value = kept;
}

/** The bytes of a base64 text (the live frames' quantised grids). */
export function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
