// The WebAssembly module under abuse, through the JavaScript API: thousands of hostile requests
// (random bytes, invalid UTF-8, 10 MB strings, nesting 100,000 deep, wrong types, duplicate
// members, control characters in codes). Each gets an error envelope with a stable code, the module
// then still answers every golden case, and 100,000 calls leave its heap no larger than 1,000 did.
// Random inputs come from a seeded generator: a failure names the seed and the input's index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCoverCheck } from '../../web/covercheck.js';
import { goldenCases, subsetMismatch } from '../support/golden.mjs';

const seed = Number(process.env.ABUSE_SEED ?? 20261124);
const good = { code: '47371', product: 'medicare-ppo-blue', setting: 'outpatient' };

// Every code a refused request may carry (DESIGN.md: stable dotted names).
const stableCodes = new Set([
  'request.duplicate_key', 'request.empty_list', 'request.invalid_code', 'request.invalid_date',
  'request.malformed_json', 'request.missing_field', 'request.not_an_object', 'request.not_serializable',
  'request.too_deep', 'request.too_large', 'request.too_many_cells', 'request.unknown_field',
  'request.unknown_product', 'request.unknown_setting', 'request.wrong_type',
]);

// mulberry32: small, fast and the same on every machine.
function generator(start) {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const utf8 = (text) => new TextEncoder().encode(text);
const bytes = (...parts) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

/** Hostile requests as [label, request, expected code or null (any stable code), expected path]. */
function hostileRequests() {
  const random = generator(seed);
  const int = (n) => Math.floor(random() * n);
  const cases = [];
  const add = (label, request, code = null, path = undefined, call = 'evaluate') => cases.push({ label, request, code, path, call });

  // Random bytes, and random text drawn from what breaks parsers and encoders.
  for (let i = 0; i < 1500; i++) {
    const data = new Uint8Array(int(300));
    for (let k = 0; k < data.length; k++) data[k] = int(256);
    add(`random bytes #${i}`, data, null, undefined, i % 2 ? 'matrix' : 'evaluate');
  }
  const alphabet = ['{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', '9', 'e', '-', ' ', '\u0000', '\u001f', '\u007f',
    '\ud800', '\udfff', '\ufffe', '\u2028', 'code', 'product', 'setting', 'date', '47371', 'null', 'true'];
  for (let i = 0; i < 1500; i++) {
    let text = '';
    for (let k = int(40); k > 0; k--) text += alphabet[int(alphabet.length)];
    cases.push({ label: `random text #${i}`, request: text, code: null, call: i % 2 ? 'matrix' : 'evaluate', mayAnswer: true });
  }
  // Fuzz-like mutations of a valid request: one byte replaced, inserted or dropped.
  const base = utf8(JSON.stringify({ ...good, date: '2026-11-24' }));
  for (let i = 0; i < 1000; i++) {
    const data = [...base];
    const at = int(data.length);
    const what = int(3);
    if (what === 0) data[at] = int(256);
    else if (what === 1) data.splice(at, 0, int(256));
    else data.splice(at, 1);
    cases.push({ label: `mutated request #${i}`, request: Uint8Array.from(data), code: null, call: 'evaluate', mayAnswer: true });
  }

  // Invalid UTF-8 inside otherwise valid JSON, as bytes; and lone surrogates in JS strings.
  const invalidUtf8 = [[0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3], [0x80]];
  for (const [i, sequence] of invalidUtf8.entries()) {
    for (const field of ['code', 'product', 'setting', 'date']) {
      const request = { ...good, date: '2026-11-24' };
      const text = JSON.stringify(request).replace(`"${field}":"`, `"${field}":"\u0001`);
      const [head, tail] = text.split('\u0001');
      add(`invalid UTF-8 #${i} in ${field}`, bytes(head, sequence, tail), 'request.malformed_json', '');
    }
    add(`invalid UTF-8 #${i} in a member name`, bytes('{"', sequence, '":1}'), 'request.malformed_json', '');
  }
  // JSON.stringify writes a lone surrogate as an escape (\ud800) that is not a character.
  for (const lone of ['\ud800', '\udfff', '47\ud83d71', '\udc00\ud800']) {
    add(`lone surrogate ${JSON.stringify(lone)} in the code`, { ...good, code: lone }, 'request.malformed_json', '');
    add(`lone surrogate ${JSON.stringify(lone)} in raw text`, `{"code":"${lone}"}`);
  }

  // 10 MB strings, in and out of JSON; a 7 MB code crosses into the module and is refused there.
  const tenMB = 10 << 20;
  add('10 MB of text', 'x'.repeat(tenMB), 'request.too_large', '');
  add('10 MB code', { ...good, code: '4'.repeat(tenMB) }, 'request.too_large', '');
  add('10 MB product', { ...good, product: 'p'.repeat(tenMB) }, 'request.too_large', '');
  add('10 MB member name', `{"${'k'.repeat(tenMB)}":1}`, 'request.too_large', '');
  add('10 MB of bytes', new Uint8Array(tenMB).fill(0x20), 'request.too_large', '');
  add('7 MB code', { ...good, code: '4'.repeat(7 << 20) }, 'request.invalid_code', '/code');
  add('7 MB product', { ...good, product: '\u00e9'.repeat(3 << 20) }, 'request.unknown_product', '/product');
  add('a million codes', { codes: Array(1_200_000).fill('47371') }, 'request.too_large', '', 'matrix');
  add('more cells than a matrix answers', { codes: Array.from({ length: 20000 }, (_, i) => String(10000 + i)) }, 'request.too_many_cells', '/codes', 'matrix');

  // Nesting: 100,000 deep as text (refused before parsing), just past the limit, and as an object.
  add('[ 100,000 deep', '['.repeat(100_000), 'request.too_deep', '');
  add('{ 100,000 deep', '{"a":'.repeat(100_000), 'request.too_deep', '');
  add('balanced 100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000), 'request.too_deep', '', 'matrix');
  add('deep inside a string is not nesting', { ...good, code: '['.repeat(100_000) }, 'request.invalid_code', '/code');
  add('17 levels', `{"code":${'['.repeat(16)}${']'.repeat(16)}}`, 'request.too_deep', '');
  add('16 levels', `{"code":${'['.repeat(15)}${']'.repeat(15)}}`, 'request.wrong_type', '/code');
  let deep = {};
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  add('an object 100,000 deep', deep, 'request.not_serializable', '');

  // Numbers, arrays, objects, booleans and null where strings belong.
  const wrong = [47371, 0, -1, 1e308, true, false, [], ['47371'], {}, { $ne: null }, { toString: 'x' }];
  for (const field of ['code', 'product', 'setting', 'date']) {
    for (const value of [...wrong, ...(field === 'date' ? [] : [null])]) {
      add(`${field} = ${JSON.stringify(value)}`, { ...good, [field]: value }, 'request.wrong_type', `/${field}`);
    }
  }
  for (const field of ['codes', 'products', 'settings']) {
    for (const value of ['47371', 7, null, {}, true]) {
      add(`${field} = ${JSON.stringify(value)}`, { [field]: value }, 'request.wrong_type', `/${field}`, 'matrix');
    }
    for (const value of [7, null, [], {}, true]) {
      add(`${field}[1] = ${JSON.stringify(value)}`, { [field]: [field === 'codes' ? '47371' : field === 'products' ? 'medicare-ppo-blue' : 'inpatient', value] }, 'request.wrong_type', `/${field}/1`, 'matrix');
    }
  }
  add('a number too large for a double', `{"code":1e999,"product":"medicare-ppo-blue","setting":"inpatient"}`, 'request.malformed_json', '');

  // Duplicate members: never "the last one wins".
  for (const field of ['code', 'product', 'setting', 'date']) {
    const text = JSON.stringify({ ...good, date: '2026-11-24' });
    add(`${field} twice`, text.replace(/}$/, `,"${field}":${JSON.stringify(good[field] ?? '2026-11-25')}}`), 'request.duplicate_key', `/${field}`);
  }
  add('a member twice inside a value', `{"code":"47371","product":{"a":1,"a":2},"setting":"inpatient"}`, 'request.duplicate_key', '/product/a');
  add('codes twice', `{"codes":["47371"],"codes":["47383"]}`, 'request.duplicate_key', '/codes', 'matrix');
  add('__proto__ and constructor', `{"__proto__":{"code":"47371"},"constructor":1}`, 'request.unknown_field', '/__proto__');

  // Control characters and look-alikes in codes.
  const controls = [...Array(32).keys(), 0x7f].map((c) => String.fromCharCode(c));
  for (const c of [...controls, '\u0085', '\u00a0', '\u200b', '\u2028', '\ufeff', '\u202e', '\uff14']) {
    add(`code with U+${c.codePointAt(0).toString(16).padStart(4, '0')} inside`, { ...good, code: `473${c}71` }, 'request.invalid_code', '/code');
    if (!/[ \t\n\r\f\v]/.test(c)) {
      add(`code with U+${c.codePointAt(0).toString(16).padStart(4, '0')} before it`, { ...good, code: `${c}47371` }, 'request.invalid_code', '/code');
    }
  }
  add('a code list in the code', { ...good, code: '47371,47383' }, 'request.invalid_code', '/code');
  add('markup as a code', { ...good, code: '<img src=x onerror=alert(1)>' }, 'request.invalid_code', '/code');

  // Not a request object at all.
  for (const text of ['', ' ', 'null', '[]', '"47371"', '0', 'true', '{', '}', '{"code":"47371",}', '\ufeff{}']) {
    add(`the text ${JSON.stringify(text)}`, text);
  }
  add('undefined', undefined, 'request.not_serializable', '');
  add('a BigInt', { ...good, code: 47371n }, 'request.not_serializable', '');
  return cases;
}

const cases = hostileRequests();

test(`thousands of hostile requests each get an error envelope with a stable code (seed ${seed})`, async () => {
  const cc = await loadCoverCheck();
  assert.ok(cases.length > 4000, `${cases.length} requests`);
  let answered = 0;
  for (const [index, c] of cases.entries()) {
    const where = `#${index} ${c.label} (seed ${seed})`;
    let envelope;
    assert.doesNotThrow(() => {
      envelope = c.call === 'matrix' ? cc.matrixSafe(c.request) : cc.evaluateSafe(c.request);
    }, where);
    if (c.mayAnswer && envelope.success) {
      // One changed byte can leave a valid request (a digit of the date, say), and random text
      // can spell one ("{}" asks a matrix for everything): then it is an answer.
      answered++;
      continue;
    }
    assert.equal(envelope.success, false, `${where}: refused`);
    const { error } = envelope;
    assert.ok(stableCodes.has(error.code), `${where}: stable code, not ${error.code}`);
    if (c.code) assert.equal(error.code, c.code, where);
    if (c.path !== undefined) assert.equal(error.path, c.path, where);
    assert.equal(typeof error.message, 'string', where);
    assert.ok(error.message.length > 0 && error.message.length < 400, `${where}: a short message, never the input`);
  }
  assert.ok(answered < 300, `${answered} random or mutated requests were valid`);

  // Afterwards the same module answers every golden case exactly as before.
  for (const g of goldenCases()) {
    const request = 'request_text' in g ? g.request_text : g.request;
    const actual = g.call === 'matrix' ? cc.matrixSafe(request) : cc.evaluateSafe(request);
    assert.equal(subsetMismatch(g.expect, actual), '', g.file);
  }
});

test('100,000 evaluate calls, good and bad, leave the heap no larger than the first 1,000 did', async () => {
  const cc = await loadCoverCheck();
  const random = generator(seed + 1);
  const answers = goldenCases().filter((g) => g.call === 'evaluate' && g.request && g.expect.success).map((g) => g.request);
  const bad = [
    { ...good, code: 'x' }, { ...good, product: 'gold' }, { ...good, setting: 7 }, { ...good, date: '2023-02-29' },
    '{"code":"47371"', '[[[[[[[[[[[[[[[[[[[[', `{"code":"47371","code":"47381"}`, bytes('{"code":"', [0xff], '"}'),
    { ...good, code: '99999' }, { ...good, code: '4'.repeat(10_000) }, { ...good, unknown: true },
  ];
  const call = () => {
    const request = random() < 0.6 ? answers[Math.floor(random() * answers.length)] : bad[Math.floor(random() * bad.length)];
    cc.evaluateSafe(request);
  };
  for (let i = 0; i < 1_000; i++) call();
  const early = cc.diagnostics();
  assert.ok(early.heapInUseBytes > 0, 'the diagnostic reports the heap in use');
  for (let i = 1_000; i < 100_000; i++) call();
  const late = cc.diagnostics();
  assert.ok(late.heapInUseBytes <= early.heapInUseBytes,
    `heap in use grew from ${early.heapInUseBytes} to ${late.heapInUseBytes} bytes`);
  assert.equal(late.memoryBytes, early.memoryBytes, 'the module memory did not grow');

  // The other entry points do not keep anything per call either.
  for (let i = 0; i < 2_000; i++) {
    cc.matrixSafe(i % 2 ? {} : { codes: ['47371', '1234'] });
    try { cc.search(i % 3 ? 'cryo liver' : 'x'.repeat(300)); } catch { /* too long: refused */ }
    try { cc.policy(i % 2 ? 'bcbsma-633' : 'nope'); } catch { /* unknown: refused */ }
  }
  assert.ok(cc.diagnostics().heapInUseBytes <= early.heapInUseBytes, 'matrix, search and policy keep nothing');
});
