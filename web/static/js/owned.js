// The sessions this browser created or forked, newest first. The owner tokens themselves stay in
// HttpOnly cookies the page cannot read; this list only remembers which ids to show in "My sessions".
const KEY = 'sinapsis.owned';
const SEARCHES = 'sinapsis.searches';
const MAX = 200;

function read(key) {
  try {
    const ids = JSON.parse(localStorage.getItem(key) || '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function save(key, ids) {
  try {
    localStorage.setItem(key, JSON.stringify(ids.slice(0, MAX)));
  } catch {
    // private mode or full storage: "My sessions" just stays shorter
  }
}

export const ownedIds = () => read(KEY);
export const ownedSearchIds = () => read(SEARCHES);

export function remember(id) {
  save(KEY, [id, ...ownedIds().filter((known) => known !== id)]);
}

/** A grid search this browser started: listed in "My sessions" too. */
export function rememberSearch(id) {
  save(SEARCHES, [id, ...ownedSearchIds().filter((known) => known !== id)]);
}

export function forget(id) {
  save(KEY, ownedIds().filter((known) => known !== id));
}

/** Keeps only the ids the server still knows. */
export function keepOnly(existing) {
  const known = new Set(existing);
  save(KEY, ownedIds().filter((id) => known.has(id)));
}

export function keepOnlySearches(existing) {
  const known = new Set(existing);
  save(SEARCHES, ownedSearchIds().filter((id) => known.has(id)));
}
