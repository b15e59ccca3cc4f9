// Messages come from the server's bundles, embedded in the page for its language.
const messages = JSON.parse(document.getElementById('messages').textContent || '{}');

export const lang = document.documentElement.lang || 'en';

/** The text for key with {0}, {1}… replaced by args (numbers written as this language writes them). */
export function t(key, ...args) {
  const pattern = messages[key] ?? key;
  return pattern.replace(/\{(\d+)\}/g, (m, i) => {
    if (args[i] === undefined) return m;
    return typeof args[i] === 'number' ? formatNumber(args[i]) : String(args[i]);
  });
}

// Every number on a page goes through these: the page's language, a sensible number of digits.
const numberFormat = new Intl.NumberFormat(lang, { maximumSignificantDigits: 6 });
const smallFormat = new Intl.NumberFormat(lang, { notation: 'scientific', maximumSignificantDigits: 4 });
const inputFormat = new Intl.NumberFormat(lang, { maximumSignificantDigits: 6, useGrouping: false });
const fixedFormats = new Map();

/** A number as people of this language write it (decimal comma in Spanish). */
export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  // tiny values (a loss near zero, a gradient) as 5,195E-6 rather than a row of zeros
  return value !== 0 && Math.abs(value) < 1e-5 ? smallFormat.format(value) : numberFormat.format(value);
}

/** Parses a number typed by a person: accepts a decimal comma. */
export function parseNumber(text) {
  const cleaned = String(text).trim().replace(',', '.');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) return NaN;
  return Number(cleaned);
}

/** A number with exactly `digits` decimals (Keras's console prints losses with 4). */
export function formatFixed(value, digits) {
  if (!fixedFormats.has(digits)) {
    fixedFormats.set(digits, new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }));
  }
  return fixedFormats.get(digits).format(value);
}

/** A number to put in a text box: no grouping, so parseNumber reads it back. */
export function formatForInput(value) {
  return typeof value === 'number' && Number.isFinite(value) ? inputFormat.format(value) : String(value);
}
