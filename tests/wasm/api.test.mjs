// The JavaScript API: errors as CoverCheckError with stable codes, envelopes, search, version,
// and a module that keeps answering after hostile input or refuses damaged data outright.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { CoverCheckError, loadCoverCheck } from '../../web/covercheck.js';
import { bundleDigest, withDigest } from '../support/digest.mjs';
import { root } from '../support/golden.mjs';

const cc = await loadCoverCheck();
const bundleText = await readFile(path.join(root, 'web/generated/policy-bundle.json'), 'utf8');
const good = { code: '47371', product: 'medicare-ppo-blue', setting: 'outpatient' };

test('evaluate returns the result for policy 633', () => {
  const result = cc.evaluate(good);
  assert.equal(result.coverage.status, 'investigational');
  assert.equal(result.authorization.status, 'not-covered');
  assert.equal(result.authorization.statement, 'This is not a covered service.');
  assert.equal(result.policy.number, '633');
  assert.equal(result.data_version, cc.version().data_version);
});

test('evaluate throws CoverCheckError with code and path; evaluateSafe returns the envelope', () => {
  assert.throws(() => cc.evaluate({ ...good, product: 'gold' }), (error) => {
    assert.ok(error instanceof CoverCheckError);
    assert.ok(error instanceof Error);
    assert.equal(error.code, 'request.unknown_product');
    assert.equal(error.path, '/product');
    assert.deepEqual(error.allowed, cc.products().map((p) => p.id));
    return true;
  });
  const envelope = cc.evaluateSafe({ ...good, setting: 'home' });
  assert.equal(envelope.success, false);
  assert.equal(envelope.error.code, 'request.unknown_setting');
});

test('requests that cannot be written as JSON are refused, not thrown raw', () => {
  const circular = { code: '47371' };
  circular.self = circular;
  assert.equal(cc.evaluateSafe(circular).error.code, 'request.not_serializable');
  assert.equal(cc.evaluateSafe(undefined).error.code, 'request.not_serializable');
  assert.equal(cc.evaluateSafe({ code: 10n }).error.code, 'request.not_serializable');
});

test('matrix, products, settings, search and version', () => {
  const m = cc.matrix({ codes: ['47383'], settings: ['inpatient'] });
  assert.equal(m.cells.length, 4);
  assert.ok(m.cells.every((c) => c.authorization === 'required'));
  assert.deepEqual(cc.products().map((p) => p.id), ['commercial-hmo-pos', 'commercial-ppo-indemnity', 'medicare-hmo-blue', 'medicare-ppo-blue']);
  assert.deepEqual(cc.settings(), ['inpatient', 'outpatient']);
  assert.deepEqual(cc.search('cryo liver').map((h) => h.code), ['47371', '47381', '47383']);
  assert.deepEqual(cc.search('percutaneous').map((h) => h.code), ['47383']);
  assert.deepEqual(cc.search(42), []);
  const v = cc.version();
  assert.match(v.data_version, /^[0-9a-f]{12}$/);
  assert.equal(v.digest, `sha256:${JSON.parse(bundleText).digest}`);
  assert.equal(v.policies[0].code_count, 3);
  assert.equal(cc.policy('bcbsma-633').policy.references_count, 36);
  assert.throws(() => cc.policy('nope'), { code: 'request.unknown_policy' });
});

test('results are fresh objects: changing one does not change the next', () => {
  const first = cc.evaluate(good);
  first.coverage.status = 'covered';
  cc.products()[0].id = 'changed';
  cc.version().data_version = 'changed';
  assert.equal(cc.evaluate(good).coverage.status, 'investigational');
  assert.equal(cc.products()[0].id, 'commercial-hmo-pos');
  assert.notEqual(cc.version().data_version, 'changed');
});

test('hostile input gets an error envelope and the module keeps answering', () => {
  const hostile = [
    ['x'.repeat(1 << 20), 'request.malformed_json'],
    [{ ...good, code: '4'.repeat(1 << 20) }, 'request.invalid_code'],
    ['['.repeat(100000), 'request.too_deep'],
    [{ ...good, code: '47371<script>' }, 'request.invalid_code'],
    [{ ...good, code: '' }, 'request.invalid_code'],
    [{ ...good, code: ['47371'] }, 'request.wrong_type'],
    [{ ...good, date: 'yesterday' }, 'request.invalid_date'],
    [{ ...good, date: '2023-02-29' }, 'request.invalid_date'],
    ['{"code":"47371","code":"47381"', 'request.malformed_json'],
    ['\u0000\u0001', 'request.malformed_json'],
    [{ ...good, product: { $ne: null } }, 'request.wrong_type'],
    [' '.repeat(9 << 20), 'request.too_large'],
  ];
  for (const [request, code] of hostile) {
    const envelope = cc.evaluateSafe(request);
    assert.equal(envelope.success, false);
    assert.equal(envelope.error.code, code, JSON.stringify(envelope.error).slice(0, 200));
    assert.ok(envelope.error.message.length < 400, 'the input is never echoed in full');
  }
  assert.equal(cc.evaluate(good).authorization.status, 'not-covered');
});

test('damaged policy data is refused at load with a data error', async () => {
  const schemaBroken = JSON.parse(bundleText);
  schemaBroken.policies[0].coverage[0].status = 'maybe';
  const { digest, ...withoutDigest } = JSON.parse(bundleText);
  const attempts = [
    [bundleText.slice(0, bundleText.length >> 1), 'data.malformed_json'],
    [bundleText.replace('INVESTIGATIONAL', 'investigational'), 'data.digest_mismatch'],
    // Damage comes first: a change that also breaks the schema is reported as damage.
    [bundleText.replace('"status":"investigational"', '"status":"maybe"'), 'data.digest_mismatch'],
    // Data that violates the schema is refused even with a digest that matches it.
    [JSON.stringify(withDigest(schemaBroken)), 'data.unknown_status'],
    [bundleText.replace('"status":"investigational"', '"status":"investigational","status":"covered"'), 'data.duplicate_key'],
    ['', 'data.malformed_json'],
  ];
  for (const [bundle, code] of attempts) {
    await assert.rejects(loadCoverCheck({ bundle, requireDigest: true }), (error) => {
      assert.ok(error instanceof CoverCheckError);
      assert.equal(error.code, code);
      return true;
    });
  }
  assert.ok(digest);
  await assert.rejects(loadCoverCheck({ bundle: withoutDigest, requireDigest: true }), { code: 'data.missing_digest' });
});

test('the digest is reproducible outside the core, as SECURITY.md describes it', () => {
  const bundle = JSON.parse(bundleText);
  assert.equal(bundleDigest(bundle), bundle.digest);
  assert.equal(`sha256:${bundleDigest(bundle)}`, cc.version().digest);
  assert.equal(cc.version().data_version, bundle.digest.slice(0, 12));
});

test('two modules loaded with different data stay independent', async () => {
  const other = JSON.parse(bundleText);
  delete other.digest;
  other.policies[0].code_groups[0].codes.pop();
  const second = await loadCoverCheck({ bundle: other });
  assert.equal(second.version().policies[0].code_count, 2);
  assert.notEqual(second.version().data_version, cc.version().data_version);
  assert.equal(second.evaluate({ ...good, code: '47383' }).coverage.status, 'not-in-data');
  assert.equal(cc.evaluate({ ...good, code: '47383' }).coverage.status, 'investigational');
});

test('decide gives evaluate\'s statuses, alone and in a batch, for every golden question', async () => {
  const { goldenCases } = await import('../support/golden.mjs');
  const questions = goldenCases().filter((c) => c.call === 'evaluate' && c.expect.success && c.request).map((c) => c.request);
  assert.ok(questions.length >= 28);
  const batch = cc.decide(questions);
  questions.forEach((q, i) => {
    const full = cc.evaluate(q);
    const want = { coverage: full.coverage.status, authorization: full.authorization.status, policy: full.policy?.id ?? null };
    assert.deepEqual(cc.decide(q), want, JSON.stringify(q));
    assert.deepEqual(batch[i], want, JSON.stringify(q));
  });
});

test('decide refuses what evaluate refuses, with the same codes and paths', () => {
  for (const [request, code, path] of [
    [{ ...good, product: 'gold' }, 'request.unknown_product', '/product'],
    [{ ...good, code: '47371<script>' }, 'request.invalid_code', '/code'],
    [{ ...good, date: '2026-02-30' }, 'request.invalid_date', '/date'],
    [{ ...good, extra: 1 }, 'request.unknown_field', '/extra'],
    [{ ...good, code: 'ÄÖÜ12' }, 'request.invalid_code', '/code'],
  ]) {
    assert.throws(() => cc.decide(request), { code, path }, JSON.stringify(request));
  }
  for (const [batch, code, path] of [
    [[good, { ...good, setting: 'home' }], 'request.unknown_setting', '/1/setting'],
    [[good, { code: '47371', product: 'medicare-ppo-blue' }], 'request.missing_field', '/1/setting'],
    [[good, 'x'], 'request.wrong_type', '/1'],
    [[{ ...good, code: 7 }], 'request.wrong_type', '/0/code'],
  ]) {
    assert.throws(() => cc.decide(batch), { code, path }, JSON.stringify(batch));
  }
  assert.deepEqual(cc.decide([]), []);
});

test('crd: an object gets today as its assertion date; text and bytes carry their own', () => {
  const today = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const date = (ext) => ext.extension.find((e) => e.url === 'date').valueDate;
  assert.equal(date(cc.crd(good).extension), `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`);
  const text = JSON.stringify({ ...good, as_of: '2026-01-02' });
  assert.equal(date(cc.crd(text).extension), '2026-01-02');
  assert.equal(date(cc.crd(new TextEncoder().encode(text)).extension), '2026-01-02');
});

test('decide gives the same frozen, shared decision whichever path answers', () => {
  const fast = cc.decide(good);
  const viaDate = cc.decide({ ...good, date: '2026-11-24' });
  const [batched] = cc.decide([{ ...good, date: '2026-11-24' }]);
  assert.ok(Object.isFrozen(fast));
  assert.equal(viaDate, fast);
  assert.equal(batched, fast);
});

test('a policy document larger than the importer reads is refused before it enters the module', async () => {
  const importing = await loadCoverCheck({ withImporter: true });
  const envelope = importing.importPolicySafe('x'.repeat((32 << 20) + 1));
  assert.equal(envelope.error.code, 'request.too_large');
});
