// Messages come from the server's bundles, embedded in the page for its language.
const messages = JSON.parse(document.getElementById('messages').textContent || '{}');

export const lang = document.documentElement.lang || 'en';

/** The text for key with {0}, {1}… replaced by args. */
export function t(key, ...args) {
  const pattern = messages[key] ?? key;
  return pattern.replace(/\{(\d+)\}/g, (m, i) => (args[i] !== undefined ? String(args[i]) : m));
}

const numberFormat = new Intl.NumberFormat(lang, { maximumSignificantDigits: 6 });
const smallFormat = new Intl.NumberFormat(lang, { notation: 'scientific', maximumSignificantDigits: 4 });

/** A number as people of this language write it (decimal comma in Spanish). */
export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  // tiny values (a loss near zero, a gradient) as 5,195E-6 rather than a row of zeros
  return value !== 0 && Math.abs(value) < 1e-4 ? smallFormat.format(value) : numberFormat.format(value);
}

/** Parses a number typed by a person: accepts a decimal comma. */
export function parseNumber(text) {
  const cleaned = String(text).trim().replace(',', '.');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) return NaN;
  return Number(cleaned);
}
