// The sessions this browser created or forked, newest first. The owner tokens themselves stay in
// HttpOnly cookies the page cannot read; this list only remembers which ids to show in "My sessions".
const KEY = 'sinapsis.owned';
const MAX = 200;

export function ownedIds() {
  try {
    const ids = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function save(ids) {
  try {
    localStorage.setItem(KEY, JSON.stringify(ids.slice(0, MAX)));
  } catch {
    // private mode or full storage: "My sessions" just stays shorter
  }
}

export function remember(id) {
  save([id, ...ownedIds().filter((known) => known !== id)]);
}

export function forget(id) {
  save(ownedIds().filter((known) => known !== id));
}

/** Keeps only the ids the server still knows. */
export function keepOnly(existing) {
  const known = new Set(existing);
  save(ownedIds().filter((id) => known.has(id)));
}
