// The golden cases through the JavaScript API and the WebAssembly module, and the same
// requests through the native CLI: both must give identical envelopes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadCoverCheck } from '../../web/covercheck.js';
import { goldenCases, pointer, root, subsetMismatch } from '../support/golden.mjs';

const cc = await loadCoverCheck();
const cases = goldenCases();

function run(c) {
  const request = 'request_text' in c ? c.request_text : c.request;
  return c.call === 'matrix' ? cc.matrixSafe(request) : cc.evaluateSafe(request);
}

test('there are golden cases, including the 24 answers of policy 633', () => {
  assert.ok(cases.length >= 40);
  const answers = cases.filter((c) => c.call === 'evaluate' && /^473\d\d$/.test(c.request?.code ?? '') && Object.keys(c.request).length === 3 && c.expect.success);
  assert.equal(answers.length, 24);
});

for (const c of cases) {
  test(`${c.file}: ${c.name}`, () => {
    const actual = run(c);
    assert.equal(subsetMismatch(c.expect, actual), '', JSON.stringify(actual, null, 2));
    for (const p of c.expect_present ?? []) assert.notEqual(pointer(actual, p), undefined, `${p} should be present`);
    for (const p of c.expect_absent ?? []) assert.equal(pointer(actual, p), undefined, `${p} should be absent`);
  });
}

const cli = path.join(root, 'build/native/covercheck');
test('the native CLI and the JS API give identical envelopes for the golden cases', { skip: !existsSync(cli) && 'build/native/covercheck is not built' }, () => {
  let compared = 0;
  for (const c of cases) {
    const args = [];
    const r = c.request;
    if (!r || typeof r !== 'object' || Object.values(r).some((v) => typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))) continue;
    if (c.call === 'evaluate') {
      if (Object.keys(r).some((k) => !['code', 'product', 'setting', 'date'].includes(k))) continue;
      args.push('query');
      for (const [k, v] of Object.entries(r)) args.push(`--${k}`, v);
    } else {
      if (Object.values(r).some((v) => Array.isArray(v) && (v.length === 0 || v.some((x) => /[\s,]/.test(x) || x === '')))) continue;
      args.push('matrix');
      const flags = { codes: '--code', products: '--product', settings: '--setting', date: '--date' };
      for (const [k, v] of Object.entries(r)) args.push(flags[k], Array.isArray(v) ? v.join(',') : v);
    }
    args.push('--json');
    let stdout;
    try {
      stdout = execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      stdout = error.stdout;
      assert.equal(error.status, 1, `${c.file}: bad input exits 1`);
    }
    assert.deepEqual(JSON.parse(stdout), run(c), c.file);
    compared++;
  }
  assert.ok(compared >= 35, `compared ${compared} cases`);
});
