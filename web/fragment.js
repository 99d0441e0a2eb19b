// The page's state lives in the URL fragment (#code=47371&product=…&setting=…&date=…), so a
// link reproduces the answer and the fragment never reaches a server.

const keys = ['code', 'product', 'setting', 'date', 'filter', 'policy'];
export const maxFragmentValue = 200_000;

/** Splits a typed or pasted list of codes on commas, semicolons, spaces and new lines. */
export function splitCodes(text) {
  return String(text ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean);
}

/** Reads the state from a fragment such as "#code=47371,47383&setting=outpatient". */
export function readFragment(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const state = {};
  for (const key of keys) {
    const value = params.get(key);
    if (value != null && value !== '') state[key] = value.slice(0, maxFragmentValue);
  }
  return state;
}

/** Writes the state as a fragment; commas stay readable. */
export function writeFragment(state) {
  const parts = [];
  for (const key of keys) {
    const value = state[key];
    if (value == null || value === '') continue;
    parts.push(`${key}=${encodeURIComponent(value).replace(/%2C/gi, ',')}`);
  }
  return parts.length ? `#${parts.join('&')}` : '';
}
