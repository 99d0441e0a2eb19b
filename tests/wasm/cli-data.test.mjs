// The command line verifies the data it answers from, as the page does: a built bundle must carry
// its digest and match it, and the digest's short form is the data version it shows. A truncated
// bundle, a flipped byte, a lost digest, data that violates the schema and a policy file with a
// member given twice are each refused with a clear message and exit status 2, with no answer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { withDigest } from '../support/digest.mjs';
import { root } from '../support/golden.mjs';

const cli = path.join(root, 'build/native/covercheck');
const skip = !existsSync(cli) && 'build/native/covercheck is not built';
const bundleText = readFileSync(path.join(root, 'web/generated/policy-bundle.json'), 'utf8');
const bundle = JSON.parse(bundleText);
const dir = mkdtempSync(path.join(os.tmpdir(), 'covercheck-cli-'));
const query = ['query', '--code', '47371', '--product', 'medicare-ppo-blue', '--setting', 'inpatient'];

function run(args) {
  const result = spawnSync(cli, args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function bundleFile(name, text) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('the built bundle answers, and the data version is its digest\'s short form', { skip }, () => {
  const file = bundleFile('good.json', bundleText);
  const answer = run([...query, '--data', file, '--json']);
  assert.equal(answer.status, 0, answer.stderr);
  assert.equal(JSON.parse(answer.stdout).data.data_version, bundle.digest.slice(0, 12));
  const version = run(['version', '--data', file]);
  assert.match(version.stdout, new RegExp(`data version ${bundle.digest.slice(0, 12)} \\(sha256:${bundle.digest}\\)`));
  assert.equal(run(['validate', file]).status, 0);
});

const { digest, ...unverified } = bundle;
const schemaBroken = structuredClone(bundle);
schemaBroken.policies[0].authorization[0].setting = 'home';
const damaged = {
  truncated: [bundleText.slice(0, bundleText.length >> 1), 'data.malformed_json'],
  'one flipped byte': [bundleText.replace('INVESTIGATIONAL.', 'INVESTIGATIONAl.'), 'data.digest_mismatch'],
  'digest removed': [JSON.stringify(unverified), 'data.missing_digest'],
  'schema violated, digest made to match': [JSON.stringify(withDigest(schemaBroken)), 'data.unknown_setting'],
  'a member given twice': [bundleText.replace('"setting":"inpatient"', '"setting":"inpatient","setting":"outpatient"'), 'data.duplicate_key'],
  empty: ['', 'data.malformed_json'],
};

for (const [name, [text, code]] of Object.entries(damaged)) {
  test(`a bundle file with ${name} is refused: exit 2, ${code}, no answer`, { skip }, () => {
    assert.notEqual(text, bundleText);
    const file = bundleFile(`${name.replace(/\W+/g, '-')}.json`, text);
    for (const args of [[...query, '--data', file], [...query, '--data', file, '--json'], ['version', '--data', file], ['validate', file]]) {
      const result = run(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.includes(code), `${args.join(' ')}: the message names ${code}: ${result.stderr}`);
      assert.doesNotMatch(result.stdout, /investigational|INVESTIGATIONAL|"success":\s*true/, 'no answer');
    }
  });
}

test('a policy file with a member given twice is refused, in a data directory and alone', { skip }, () => {
  const data = path.join(dir, 'policy-data');
  cpSync(path.join(root, 'policy-data'), data, { recursive: true });
  const file = path.join(data, 'policies/bcbsma-633.json');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace('"number": "633",', '"number": "633",\n  "number": "634",'));
  const inDirectory = run([...query, '--data', data]);
  assert.equal(inDirectory.status, 2);
  assert.match(inDirectory.stderr, /data\.duplicate_key at \/policies\/0\/number/);
  const alone = run(['validate', file, '--data', data]);
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /data\.duplicate_key at \/policies\/0\/number/);
});

test('a file that cannot be read is bad input (exit 1), and ";" separates codes as on the page', { skip }, () => {
  const missing = run(['validate', path.join(os.tmpdir(), 'covercheck-no-such-file.json')]);
  assert.equal(missing.status, 1);
  const listed = run(['matrix', '--code', '47371;47383', '--json']);
  assert.equal(listed.status, 0);
  assert.deepEqual(JSON.parse(listed.stdout).data.query.codes, ['47371', '47383']);
});
