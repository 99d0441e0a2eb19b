// The importer through the JavaScript API and the WebAssembly module (the same documents and
// expectations as the Catch2 suite), a second checker answering from an imported policy, and
// `covercheck import` on the command line: output, report and exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { CoverCheckError, loadCoverCheck } from '../../web/covercheck.js';
import { root } from '../support/golden.mjs';

const cc = await loadCoverCheck({ withImporter: true });
const read = (p) => readFileSync(path.join(root, p), 'utf8');
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validatePolicy = ajv.compile(JSON.parse(read('policy-data/schema/policy.schema.json')));
const codesOf = (data) => data.report.map((f) => f.code).sort();
const specs = readdirSync(path.join(root, 'tests/import')).filter((n) => n.endsWith('.expect.json')).sort();

test('importing the policy 633 document gives exactly the reviewed policy data', () => {
  const data = cc.importPolicy(read('policy-data/sources/bcbsma-633.txt'), { id: 'bcbsma-633', sourceFile: 'sources/bcbsma-633.txt' });
  assert.deepEqual(data.policy, JSON.parse(read('policy-data/policies/bcbsma-633.json')));
  assert.equal(data.complete, true);
  assert.deepEqual(codesOf(data), ['import.effective_from_last_review']);
  assert.deepEqual(data.sources['/coverage/0'], { lines: [44, 44], section: 'Policy' });
});

test('there is an expectation for every messy-text case', () => {
  assert.ok(specs.length >= 14, specs.join(', '));
});

for (const name of specs) {
  const stem = name.replace(/\.expect\.json$/, '');
  const spec = JSON.parse(read(`tests/import/${name}`));
  test(`${stem}: ${spec.name}`, () => {
    const data = cc.importPolicy(read(`tests/import/${stem}.txt`), spec.options);
    assert.deepEqual(data.policy, spec.policy);
    assert.deepEqual(codesOf(data), spec.report);
    assert.equal(data.complete, spec.complete);
    // Whatever loads also validates against the JSON Schema the build checks bundled data with.
    if (!data.report.some((f) => f.code === 'import.not_loadable')) {
      assert.ok(validatePolicy(data.policy), ajv.errorsText(validatePolicy.errors));
    }
  });
}

test('a second checker answers from an imported policy; the first is unchanged', async () => {
  const imported = cc.importPolicy(read('tests/import/older-layout.txt'), { id: 'older-layout' });
  const mine = await cc.withPolicies([imported.policy]);
  const commercial = mine.evaluate({ code: '0995T', product: 'commercial-ppo-indemnity', setting: 'outpatient' });
  assert.equal(commercial.coverage.status, 'covered-with-criteria');
  assert.equal(commercial.authorization.status, 'not-required');
  assert.equal(commercial.authorization.line, 49);
  const medicare = mine.evaluate({ code: '0995T', product: 'medicare-hmo-blue', setting: 'inpatient' });
  assert.equal(medicare.coverage.status, 'investigational');
  assert.equal(medicare.coverage.statement, 'Heated widget injections for shoulder pain are INVESTIGATIONAL.');
  assert.notEqual(mine.version().data_version, cc.version().data_version);
  assert.equal(mine.evaluate({ code: '47371', product: 'medicare-hmo-blue', setting: 'inpatient' }).coverage.status, 'not-in-data');
  assert.equal(cc.evaluate({ code: '0995T', product: 'medicare-hmo-blue', setting: 'inpatient' }).coverage.status, 'not-in-data');
  assert.equal(cc.evaluate({ code: '47371', product: 'medicare-hmo-blue', setting: 'inpatient' }).coverage.status, 'investigational');
});

test('a policy that does not load is refused by withPolicies with a data.* code', async () => {
  const data = cc.importPolicy(read('tests/import/missing-sections.txt'));
  assert.ok(data.report.some((f) => f.code === 'import.not_loadable' && f.path === '/last_review'));
  await assert.rejects(cc.withPolicies([data.policy]), (error) => error instanceof CoverCheckError && error.code === 'data.missing_field');
});

test('hostile input never breaks the module: random bytes, empty text, 20 MB, wrong types, bad options', () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (const size of [1, 100, 10000]) {
    const text = Array.from({ length: size }, () => String.fromCharCode(Math.floor(random() * 0xffff))).join('');
    const data = cc.importPolicy(text);
    assert.equal(data.complete, false);
  }
  assert.deepEqual(codesOf(cc.importPolicy('')), ['import.empty']);
  const big = read('policy-data/sources/bcbsma-633.txt').repeat(1050);
  assert.ok(big.length > 20e6);
  const huge = cc.importPolicy(big);
  assert.equal(huge.complete, false);
  assert.ok(huge.report.length <= 1001);
  assert.equal(cc.importPolicySafe(42).error.code, 'request.wrong_type');
  assert.throws(() => cc.importPolicy('x', { idd: 'x' }), { code: 'request.unknown_field', path: '/idd' });
  assert.throws(() => cc.importPolicy('x', { id: 7 }), { code: 'request.wrong_type', path: '/id' });
  // The module still answers afterwards.
  assert.equal(cc.evaluate({ code: '47371', product: 'medicare-ppo-blue', setting: 'outpatient' }).authorization.status, 'not-covered');
});

const cli = path.join(root, 'build/native/covercheck');
const skip = !existsSync(cli) && 'build/native/covercheck is not built';

test('covercheck import prints the policy 633 file byte for byte and exits 0', { skip }, () => {
  const run = spawnSync(cli, ['import', path.join(root, 'policy-data/sources/bcbsma-633.txt')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, read('policy-data/policies/bcbsma-633.json'));
  assert.equal(run.stderr, '');
});

test('covercheck import: exit 2 and the report on stderr when the result needs review; 1 for bad input', { skip }, () => {
  const flattened = spawnSync(cli, ['import', path.join(root, 'tests/import/flattened.txt'), '--report'], { encoding: 'utf8' });
  assert.equal(flattened.status, 2);
  assert.equal(JSON.parse(flattened.stdout).number, 'T103');
  assert.match(flattened.stderr, /flattened\.txt:42: review: import\.flattened_table: /);
  const quiet = spawnSync(cli, ['import', path.join(root, 'tests/import/flattened.txt')], { encoding: 'utf8' });
  assert.equal(quiet.status, 2);
  assert.match(quiet.stderr, /3 finding\(s\) need review \(run with --report/);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'covercheck-import-'));
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0, 1, 2, 255, 254, 0, 7]));
  for (const [file, code] of [['empty.txt', 'import.empty'], ['binary.txt', 'import.not_text']]) {
    const run = spawnSync(cli, ['import', path.join(dir, file)], { encoding: 'utf8' });
    assert.equal(run.status, 1, file);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(code.replace('.', '\\.')));
  }
  assert.equal(spawnSync(cli, ['import', path.join(dir, 'missing.txt')]).status, 1);
  assert.equal(spawnSync(cli, ['import']).status, 1);
  assert.equal(spawnSync(cli, ['import', path.join(root, 'tests/import/tab-table.txt'), '--id', 'Not An Id']).status, 1);
  const json = spawnSync(cli, ['import', path.join(root, 'tests/import/tab-table.txt'), '--json', '--id', 'mine'], { encoding: 'utf8' });
  assert.equal(json.status, 0);
  const envelope = JSON.parse(json.stdout);
  assert.equal(envelope.success, true);
  assert.equal(envelope.data.policy.id, 'mine');
  assert.equal(envelope.data.policy.source.file, 'sources/tab-table.txt');
});
