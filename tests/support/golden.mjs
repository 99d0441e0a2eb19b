// The golden cases (tests/cases/*.json) for the node and browser suites, and the same subset
// comparison the Catch2 suite uses (tests/unit/support.cpp).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function goldenCases() {
  const dir = path.join(root, 'tests/cases');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(path.join(dir, file), 'utf8')) }));
}

/** '' when `expected` is contained in `actual`; otherwise where they first differ. */
export function subsetMismatch(expected, actual, at = '') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at || '/'}: expected an object, found ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}/${key}: missing`;
      const inner = subsetMismatch(value, actual[key], `${at}/${key}`);
      if (inner) return inner;
    }
    return '';
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${at}: expected ${expected.length} items, found ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const inner = subsetMismatch(expected[i], actual[i], `${at}/${i}`);
      if (inner) return inner;
    }
    return '';
  }
  return Object.is(expected, actual) ? '' : `${at}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`;
}

/** Resolves a JSON Pointer; undefined when absent. */
export function pointer(value, ptr) {
  let current = value;
  for (const raw of ptr.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current == null || typeof current !== 'object' || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A golden case that the page's form and fragment can express: string fields only. */
export function isPageExpressible(c) {
  return c.call === 'evaluate' && c.request && Object.values(c.request).every((v) => typeof v === 'string') &&
    ['code', 'product', 'setting'].every((k) => k in c.request) && Object.keys(c.request).every((k) => ['code', 'product', 'setting', 'date'].includes(k));
}
