// "Check a policy document" in a real browser, from the offline file (file://, network off) and
// the hosted site: paste or open a document, see its facts and report, query it; hostile text
// stays text, and not a single request leaves the page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { root } from '../support/golden.mjs';
import { launch, openPage, serveSite, targets } from './browser.mjs';

const browser = await launch();
const site = await serveSite();
after(async () => { await browser.close(); await site.close(); });

const documentText = (name) => readFileSync(path.join(root, 'tests/import', name), 'utf8');
const axeSource = readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

async function readPasted(page, text) {
  await page.fill('#import-text', text);
  await page.click('#import-read');
  await page.waitForFunction(() => document.querySelector('#import-result')?.getAttribute('aria-busy') === 'false' &&
    document.querySelector('#import-result article'));
}

for (const target of targets(site, 'covercheck-import.html')) {
  describe(target.name, () => {
    test('a pasted policy is read, shown with its source lines, and answers a query', async () => {
      const p = await openPage(browser, target, { also: ['covercheck.html'] });
      await readPasted(p.page, documentText('older-layout.txt'));
      const shown = await p.page.evaluate(() => ({
        complete: document.querySelector('#import-result article').dataset.complete,
        status: document.getElementById('import-status').textContent,
        facts: document.getElementById('import-facts').textContent,
        statements: document.getElementById('import-statements').textContent,
      }));
      assert.equal(shown.complete, 'true');
      assert.equal(shown.status, 'Complete');
      assert.match(shown.facts, /T111 \(line 18\)/);
      assert.match(shown.facts, /Heated Widget Injections for Shoulder Pain \(line 5\)/);
      assert.match(shown.statements, /Heated widget injections for shoulder pain are INVESTIGATIONAL\./);
      assert.match(shown.statements, /line 43 · Policy: Medicare/);

      await p.page.selectOption('#import-code', '0995T');
      await p.page.selectOption('#import-product', 'commercial-ppo-indemnity');
      await p.page.selectOption('#import-setting', 'outpatient');
      await p.page.click('#import-check');
      const answer = await p.page.waitForSelector('#import-answer [data-coverage]');
      assert.equal(await answer.getAttribute('data-coverage'), 'covered-with-criteria');
      assert.equal(await answer.getAttribute('data-authorization'), 'not-required');
      assert.match(await answer.textContent(), /Prior authorization is not required\.\s*line 49/);

      await p.page.selectOption('#import-product', 'medicare-hmo-blue');
      await p.page.selectOption('#import-setting', 'inpatient');
      await p.page.click('#import-check');
      await p.page.waitForSelector('#import-answer [data-product="medicare-hmo-blue"]');
      assert.equal(await p.page.getAttribute('#import-answer [data-coverage]', 'data-coverage'), 'investigational');
      assert.equal(await p.page.getAttribute('#import-answer [data-coverage]', 'data-authorization'), 'not-covered');

      // The page links back to the checker, which still answers from the bundled policies.
      const back = await p.page.getAttribute('a[href="covercheck.html"]', 'href');
      await p.page.goto(new URL(`${back}#code=47371&product=medicare-ppo-blue&setting=outpatient`, p.page.url()).href);
      await p.page.waitForSelector('#answer article[data-code="47371"][data-product="medicare-ppo-blue"]');
      assert.equal(await p.page.getAttribute('#answer article[data-code="47371"]', 'data-authorization'), 'not-covered');
      assert.deepEqual(p.foreign(), [], 'nothing but our own two pages');
      assert.deepEqual(p.errors, []);
      await p.close();
    });

    test('a .txt file is opened in the page, and what needs review is listed', async () => {
      const p = await openPage(browser, target);
      await p.page.setInputFiles('#import-file', path.join(root, 'tests/import/flattened.txt'));
      await p.page.waitForFunction(() => document.querySelector('#import-result article')?.dataset.complete === 'false');
      const findings = await p.page.$$eval('#import-report li[data-severity=review]', (items) => items.map((li) => li.dataset.code));
      assert.deepEqual(findings, ['import.flattened_table', 'import.flattened_table', 'import.flattened_table']);
      assert.match(await p.page.textContent('#import-report'), /line 42 · Prior Authorization Information > Outpatient/);
      assert.match(await p.page.inputValue('#import-text'), /Policy Number: T103/);
      // A document that needs review still answers, beside its findings.
      await p.page.click('#import-check');
      await p.page.waitForSelector('#import-answer [data-coverage=investigational]');
      assert.deepEqual(p.foreign(), []);
      await p.close();
    });

    test('text that is not a policy, or is hostile, is reported as text and never run', async () => {
      const p = await openPage(browser, target);
      await readPasted(p.page, 'Dear member,\nthank you for your letter.');
      assert.equal(await p.page.textContent('#import-status'), 'Not a policy document');
      assert.equal(await p.page.$('#import-query-form'), null);

      const hostile = documentText('tab-table.txt')
        .replace('Thermal Widget Therapy for Chronic Knee Pain', '<img src=x onerror=alert(1)> Widget <script>alert(2)</script>')
        .replace('Thermal widget therapy for chronic knee pain is', '<svg onload=alert(3)> therapy is');
      await readPasted(p.page, hostile);
      const state = await p.page.evaluate(() => ({
        injected: document.querySelectorAll('#import img, #import script, #import svg, #import [onerror], #import [onload]').length,
        title: document.querySelector('#import-result .result-title').textContent,
        statements: document.getElementById('import-statements').textContent,
      }));
      assert.equal(state.injected, 0);
      assert.match(state.title, /<img src=x onerror=alert\(1\)> Widget <script>alert\(2\)<\/script>/);
      assert.match(state.statements, /<svg onload=alert\(3\)> therapy is INVESTIGATIONAL\./);
      await p.page.click('#import-read');
      await p.page.waitForTimeout(50);
      assert.deepEqual(p.dialogs, []);
      assert.deepEqual(p.errors, []);

      await p.page.fill('#import-text', '   ');
      await p.page.click('#import-read');
      assert.equal(await p.page.getAttribute('#import-text', 'aria-invalid'), 'true');
      assert.equal(await p.page.isVisible('#import-error'), true);
      assert.deepEqual(p.foreign(), []);
      await p.close();
    });

    test('the import section has no serious or critical accessibility violations (axe-core)', async () => {
      const p = await openPage(browser, target);
      await readPasted(p.page, documentText('conflicting.txt'));
      await p.page.click('#import-check');
      await p.page.waitForSelector('#import-answer [data-coverage]');
      await p.page.evaluate(axeSource);
      const violations = await p.page.evaluate(async () => (await window.axe.run(document.getElementById('import'))).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(violations, []);
      await p.close();
    });
  });
}
