// What a user chose on a study's page (log scale, parameters shown, selected trials), kept per study in
// localStorage so live re-renders and reloads keep it. Storage may be unavailable (private mode): then memory only.
const memory = new Map();

function key(name) {
  return `autotune:prefs:${name}`;
}

export function prefs(name) {
  if (!memory.has(name)) {
    let stored = {};
    try {
      stored = JSON.parse(localStorage.getItem(key(name)) ?? '{}') ?? {};
    } catch {
      stored = {};
    }
    memory.set(name, typeof stored === 'object' ? stored : {});
  }
  return memory.get(name);
}

export function setPref(name, field, value) {
  const current = prefs(name);
  if (value === undefined) delete current[field];
  else current[field] = value;
  try {
    localStorage.setItem(key(name), JSON.stringify(current));
  } catch {
    // Quota or privacy settings: the choice still holds for this page's life.
  }
}
