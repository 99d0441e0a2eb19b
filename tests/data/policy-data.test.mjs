// The policy data is valid against its schema, and faithful to its source: every sentence the
// checker shows is found in the source document, on the line the data says.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { root } from '../support/golden.mjs';

const read = (p) => readFileSync(path.join(root, p), 'utf8');
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validatePolicy = ajv.compile(JSON.parse(read('policy-data/schema/policy.schema.json')));
const validateProducts = ajv.compile(JSON.parse(read('policy-data/schema/products.schema.json')));
const policyFiles = readdirSync(path.join(root, 'policy-data/policies')).filter((n) => n.endsWith('.json'));

// The source is a web page as text: links are [text](#), emphasis is **text**, bullets are "- ".
const plain = (line) => line.replace(/\*\*/g, '').replace(/\[([^\]]*)\]\(#\)/g, '$1').replace(/^- /, '').trim();
// The same with the importer's cleaning of spacing (covercheck import): non-breaking and other
// odd spaces are spaces, zero-width characters go, and a run of spaces or tabs is one space.
const spaced = (line) => plain(line.replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ').replace(/[\u200b-\u200d\u2060\ufeff]/g, ''))
  .replace(/[ \t]+/g, ' ');

test('products.json validates against its schema', () => {
  assert.ok(validateProducts(JSON.parse(read('policy-data/products.json'))), ajv.errorsText(validateProducts.errors));
});

for (const name of policyFiles) {
  const policy = JSON.parse(read(`policy-data/policies/${name}`));
  const sourceText = read(`policy-data/${policy.source.file}`);
  const lines = sourceText.split('\n');
  const lineHas = (number, text) => number >= 1 && plain(lines[number - 1]).includes(text);
  // A fact that spans lines ("lines": [first, last]) is found in those lines joined by spaces.
  const linesHave = (item, text) => {
    const [first, last] = item.lines ?? [item.line, item.line];
    return first >= 1 && lines.slice(first - 1, last).map(spaced).join(' ').includes(text.replace(/[ \t]+/g, ' '));
  };
  const anywhere = lines.map(plain).join('\n');
  const anywhereSpaced = lines.map(spaced).join('\n');
  const onSomeLine = (text) => lines.some((l) => spaced(l).includes(text.replace(/[ \t]+/g, ' ')));

  test(`${name} validates against the policy schema`, () => {
    assert.ok(validatePolicy(policy), ajv.errorsText(validatePolicy.errors));
  });

  test(`${name}: the schema is not vacuous (broken copies are refused)`, () => {
    const broken = [
      (p) => { delete p.title; },
      (p) => { p.coverage[0].status = 'maybe'; },
      (p) => { p.code_groups[0].codes[0].code = '4737'; },
      (p) => { p.authorization[0].setting = 'home'; },
      (p) => { p.unexpected = true; },
      (p) => { p.last_review = '2023-13'; },
    ];
    for (const mutate of broken) {
      const copy = structuredClone(policy);
      mutate(copy);
      assert.equal(validatePolicy(copy), false, mutate.toString());
    }
  });

  test(`${name}: the source file is the one the data names`, () => {
    assert.equal(createHash('sha256').update(sourceText).digest('hex'), policy.source.sha256);
  });

  test(`${name}: every statement is the source's own words, on the line given`, () => {
    for (const rule of [...policy.coverage, ...policy.authorization]) {
      assert.ok(linesHave(rule, rule.statement), `line ${rule.line}: ${rule.statement}`);
      if (rule.printed_product) assert.ok(linesHave(rule, rule.printed_product), rule.printed_product);
      for (const criterion of rule.criteria ?? []) assert.ok(lineHas(criterion.line, criterion.text), criterion.text);
    }
    for (const note of policy.authorization_notes ?? []) assert.ok(linesHave(note, note.text), note.text);
    for (const group of [...policy.code_groups, ...(policy.icd_code_groups ?? [])]) {
      assert.ok(linesHave(group, group.statement), group.statement);
      for (const code of group.codes) {
        assert.ok(linesHave(code, `${code.code} ${code.description}`), `${code.code} on line ${code.line}`);
      }
    }
    if (policy.products_heading) assert.ok(anywhereSpaced.includes(policy.products_heading));
    for (const notice of policy.coding_notices) assert.ok(anywhere.includes(notice), notice);
    for (const r of policy.related_policies) assert.ok(anywhere.includes(`${r.title}, #${r.number}`), r.title);
    for (const e of policy.evidence) {
      for (const part of [e.population, e.intervention, e.evidence_base, e.outcomes, e.conclusion]) {
        assert.ok(anywhere.includes(part), part);
      }
    }
    for (const h of policy.history) assert.ok(onSomeLine(`${h.date} ${h.action}`), h.date);
    for (const title of policy.general_information ?? []) assert.ok(lines.some((l) => spaced(l) === title), title);
  });

  test(`${name}: header facts, last review and reference count match the source`, () => {
    assert.ok(onSomeLine(`Policy Number: ${policy.number}`));
    assert.ok(lines.map(spaced).includes(policy.title));
    assert.ok(anywhereSpaced.includes(`BCBSA Reference Number: ${policy.bcbsa_reference}`));
    if (policy.ncd_lcd) assert.ok(onSomeLine(`NCD/LCD: ${policy.ncd_lcd}`));
    const [month, year] = policy.history[0].date.split('/');
    assert.equal(policy.last_review, `${year}-${month.padStart(2, '0')}`);
    assert.equal(policy.references_count, lines.filter((l) => /^\d+\. /.test(l)).length);
  });
}
