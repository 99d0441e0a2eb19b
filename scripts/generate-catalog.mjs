// Generates a SYNTHETIC policy catalog for benchmarks and scale tests: N policies sharing C
// distinct five-digit codes, shaped like real policy data but marked synthetic in every record
// (build-web.mjs refuses to bundle synthetic policies into the shipped page).
//   node scripts/generate-catalog.mjs --policies 100 --codes 10000 [--out FILE]
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coverageCycle = ['investigational', 'covered-with-criteria', 'not-medically-necessary', 'covered', 'not-covered'];
const authorizationCycle = ['required', 'not-required', 'not-covered'];

/** A bundle object: {schema_version, publisher, products, policies}, every policy synthetic. */
export function generateCatalog({ policies = 1, codes = 3 } = {}) {
  if (codes > 100000 || codes < policies) throw new Error('between one code per policy and 100,000 codes');
  const productsFile = JSON.parse(readFileSync(path.join(root, 'policy-data/products.json'), 'utf8'));
  const productIds = productsFile.products.map((p) => p.id);
  const list = [];
  let next = 0;
  for (let i = 0; i < policies; i++) {
    const count = Math.floor(codes / policies) + (i < codes % policies ? 1 : 0);
    const status = coverageCycle[i % coverageCycle.length];
    const number = `S${String(i + 1).padStart(4, '0')}`;
    const codeRows = [];
    for (let k = 0; k < count; k++, next++) {
      const code = String(next).padStart(5, '0');
      codeRows.push({ system: 'CPT', code, description: `Synthetic procedure ${code} for benchmark policy ${number}, not a real code description` });
    }
    list.push({
      schema_version: 1,
      id: `synthetic-${number.toLowerCase()}`,
      synthetic: true,
      publisher: 'Synthetic test data (not a real health plan)',
      number,
      title: `Synthetic benchmark policy ${number} (test data, not a real policy)`,
      last_review: '2026-01',
      effective: { from: '2026-01-01', basis: 'Synthetic test data.' },
      products: productIds,
      coverage: [{ products: productIds, status, statement: `Synthetic statement: the service of policy ${number} is ${status}.` }],
      authorization: [
        { setting: 'inpatient', products: productIds, status: authorizationCycle[i % 3], statement: `Synthetic inpatient rule ${i % 3}.` },
        ...productIds.map((p, j) => ({ setting: 'outpatient', products: [p], status: authorizationCycle[(i + j) % 3], statement: `Synthetic outpatient rule ${(i + j) % 3}.` })),
      ],
      code_groups: [{ status, products: productIds, statement: `Synthetic codes considered ${status}:`, codes: codeRows }],
      coding_notices: ['Synthetic notice: test data only.'],
      related_policies: [],
      history: [{ date: '1/2026', action: 'Synthetic policy created for benchmarks.' }],
    });
  }
  return { schema_version: 1, publisher: productsFile.publisher, products: productsFile.products, policies: list };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
  const bundle = generateCatalog({ policies: Number(args.policies ?? 1), codes: Number(args.codes ?? 3) });
  const text = JSON.stringify(bundle);
  if (args.out) {
    await writeFile(args.out, text);
    console.error(`generate-catalog: ${bundle.policies.length} synthetic policies, ${args.codes} codes, ${(text.length / 1048576).toFixed(1)} MB -> ${args.out}`);
  } else {
    process.stdout.write(text);
  }
}
