// Checks policy files against policy-data/schema/policy.schema.json, as the build does for the
// bundled data: node scripts/validate-policy.mjs FILE.json...  Exit 1 when any is invalid.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'policy-data/schema/policy.schema.json'), 'utf8')));

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/validate-policy.mjs FILE.json...');
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  let policy;
  try {
    policy = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    failed++;
    continue;
  }
  if (validate(policy)) {
    console.log(`${file}: valid against the policy schema`);
  } else {
    console.error(`${file}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
