// The same decision written the way a user of each peer engine would write a policy catalog:
// one rule row per code × product × setting, derived here from the bundle's policy data.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import initZen, { Variable } from '@gorules/zen-engine-wasm';

const require = createRequire(import.meta.url);

/** Rows {code, product, setting, coverage, authorization} for every code, product and setting. */
export function ruleRows(bundle) {
  const rows = [];
  for (const policy of bundle.policies) {
    for (const group of policy.code_groups) {
      for (const code of group.codes) {
        for (const product of group.products) {
          for (const setting of ['inpatient', 'outpatient']) {
            const rule = policy.authorization.find((r) => r.setting === setting && r.products.includes(product));
            rows.push({ code: code.code, product, setting, coverage: group.status, authorization: rule?.status ?? 'not-in-data' });
          }
        }
      }
    }
  }
  return rows;
}

function jsonLogicRule(rows) {
  const branches = [];
  for (const r of rows) {
    branches.push(
      { and: [{ '==': [{ var: 'code' }, r.code] }, { '==': [{ var: 'product' }, r.product] }, { '==': [{ var: 'setting' }, r.setting] }] },
      [r.coverage, r.authorization],
    );
  }
  return { if: [...branches, ['not-in-data', 'not-in-data']] };
}

export function jsonLogicJs(rows) {
  const rule = jsonLogicRule(rows);
  return (q) => jsonLogic.apply(rule, q);
}

export function jsonLogicEngine(rows, { compiled }) {
  const engine = new LogicEngine();
  const rule = jsonLogicRule(rows);
  if (!compiled) return (q) => engine.run(rule, q);
  const fn = engine.build(rule);
  return (q) => fn(q);
}

let zenReady;
/**
 * ZEN's WebAssembly package exposes its expression language, not decision tables (its README:
 * "Currently, it supports only expressions"). The table is written as the first-hit chain a
 * ZEN decision table means, one expression evaluated by the engine per question.
 */
export async function zenEngine(rows) {
  zenReady ??= initZen({ module_or_path: readFileSync(require.resolve('@gorules/zen-engine-wasm/dist/zen_engine_wasm_bg.wasm')) });
  await zenReady;
  let expression = '"not-in-data|not-in-data"';
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    expression = `code == "${r.code}" and product == "${r.product}" and setting == "${r.setting}" ? "${r.coverage}|${r.authorization}" : (${expression})`;
  }
  return (q) => {
    const input = new Variable(q);
    try {
      return input.evaluateExpression(expression);
    } finally {
      input.free();
    }
  };
}

/** The floor: precomputed answers in a Map. */
export function mapLookup(rows) {
  const answers = new Map(rows.map((r) => [`${r.code}|${r.product}|${r.setting}`, { coverage: r.coverage, authorization: r.authorization }]));
  const none = { coverage: 'not-in-data', authorization: 'not-in-data' };
  return (q) => answers.get(`${q.code}|${q.product}|${q.setting}`) ?? none;
}
