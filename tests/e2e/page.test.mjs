// The page in a real browser, from the offline file (file://, network off) and the hosted site
// (http): the golden answers through the URL fragment and the form, hostile input, history,
// suggestions, accessibility, and not a single request beyond the page's own files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { withDigest } from '../support/digest.mjs';
import { goldenCases, isPageExpressible, root } from '../support/golden.mjs';
import { launch, offlineFile, openPage, serveSite, shownAnswer, targets } from './browser.mjs';

const browser = await launch();
const site = await serveSite();
after(async () => { await browser.close(); await site.close(); });

const pageCases = goldenCases().filter(isPageExpressible);
const answers = pageCases.filter((c) => c.expect.success && /^473\d\d$/.test(c.request.code) && !c.request.date);
const fieldOf = { '/code': 'code', '/product': 'product', '/setting': 'setting', '/date': 'date' };
const axeSource = readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

function checkShown(c, shown) {
  if (c.expect.success) {
    const { coverage, authorization } = c.expect.data;
    assert.equal(shown.error, null, `${c.file}: no error expected`);
    if (coverage) assert.equal(shown.coverage, coverage.status, c.file);
    if (authorization) assert.equal(shown.authorization, authorization.status, c.file);
    for (const sentence of [coverage?.statement, authorization?.statement]) {
      if (sentence) assert.ok(shown.text.includes(sentence), `${c.file}: shows “${sentence}”`);
    }
  } else {
    assert.ok(shown.error, `${c.file}: an error is shown`);
    assert.equal(shown.coverage, null, `${c.file}: no answer is shown with an error`);
    const field = fieldOf[c.expect.error.path];
    if (field) assert.ok(shown.invalid.includes(field), `${c.file}: ${field} is marked invalid (${shown.invalid})`);
  }
}

for (const target of targets(site)) {
  describe(target.name, () => {
    test('answers every golden case given in the URL fragment, with no foreign request', async () => {
      assert.equal(answers.length, 24);
      const p = await openPage(browser, target);
      for (const c of pageCases) {
        const hash = '#' + new URLSearchParams(c.request).toString();
        await p.page.evaluate((h) => { location.hash = h; }, hash);
        await p.page.waitForFunction((h) => location.hash === h, hash);
        checkShown(c, await shownAnswer(p.page));
      }
      assert.deepEqual(p.foreign(), []);
      assert.deepEqual(p.errors, []);
      await p.close();
    });

    test('answers the 24 policy 633 questions through the form', async () => {
      const p = await openPage(browser, target);
      for (const c of answers) {
        await p.page.fill('#code', c.request.code);
        await p.page.selectOption('#product', c.request.product);
        await p.page.check(`input[name=setting][value=${c.request.setting}]`);
        await p.page.click('#check');
        await p.page.waitForSelector(`#answer article[data-code="${c.request.code}"][data-product="${c.request.product}"][data-setting="${c.request.setting}"]`);
        checkShown(c, await shownAnswer(p.page));
        assert.ok(p.page.url().includes(`product=${c.request.product}`), 'the fragment records the question');
      }
      assert.deepEqual(p.foreign(), []);
      await p.close();
    });

    test('a code alone shows every product and setting', async () => {
      const p = await openPage(browser, target, { hash: '#code=47381' });
      const cells = await p.page.$$eval('td[data-coverage]', (tds) => tds.map((td) => [td.dataset.product, td.dataset.setting, td.dataset.coverage, td.dataset.authorization]));
      assert.equal(cells.length, 8);
      for (const [, setting, coverage, authorization] of cells) {
        assert.equal(coverage, 'investigational');
        assert.equal(authorization, setting === 'inpatient' ? 'required' : 'not-covered');
      }
      await p.close();
    });

    test('hostile values in the fragment and the field are shown as text, never run', async () => {
      const payloads = [
        '<img src=x onerror=alert(1)>',
        '"><script>alert(1)</script>',
        'javascript:alert(1)',
        '<svg onload=alert(1)>',
        '%3Cscript%3Ealert(1)%3C/script%3E',
        '&lt;b&gt;47371',
        '47371<script>',
      ];
      const p = await openPage(browser, target);
      for (const payload of payloads) {
        await p.page.evaluate((h) => { location.hash = h; }, `#code=${encodeURIComponent(payload)}&product=${encodeURIComponent(payload)}&setting=inpatient`);
        await p.page.waitForTimeout(30);
        const state = await p.page.evaluate(() => ({
          error: document.getElementById('form-error').textContent,
          injected: document.querySelectorAll('#answer *[onerror], #answer script, #answer svg, #form-error *').length,
          code: document.getElementById('code').value,
        }));
        assert.ok(state.error.length > 0, `an error is shown for ${payload}`);
        assert.equal(state.injected, 0);
        assert.equal(state.code, payload, 'the field keeps what the link said');
      }
      await p.page.fill('#code', '<img src=x onerror=alert(2)>');
      await p.page.click('#check');
      await p.page.waitForTimeout(50);
      assert.deepEqual(p.dialogs, []);
      assert.equal(await p.page.inputValue('#code'), '<img src=x onerror=alert(2)>', 'nothing typed is lost');
      assert.deepEqual(p.foreign(), []);
      await p.close();
    });

    test('back and forward move between answers', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371&product=medicare-ppo-blue&setting=inpatient' });
      await p.page.evaluate(() => { location.hash = '#code=47383&product=commercial-hmo-pos&setting=outpatient'; });
      await p.page.waitForFunction(() => document.querySelector('#answer article')?.dataset.code === '47383');
      await p.page.goBack();
      await p.page.waitForFunction(() => document.querySelector('#answer article')?.dataset.code === '47371');
      assert.equal((await shownAnswer(p.page)).authorization, 'required');
      assert.equal(await p.page.inputValue('#code'), '47371');
      await p.page.goForward();
      await p.page.waitForFunction(() => document.querySelector('#answer article')?.dataset.code === '47383');
      assert.equal((await shownAnswer(p.page)).authorization, 'not-covered');
      await p.close();
    });

    test('suggestions: description words, arrow keys and Enter, Escape', async () => {
      const p = await openPage(browser, target);
      await p.page.focus('#code');
      await p.page.keyboard.type('cryo liver');
      await p.page.waitForSelector('#code-options:not([hidden]) [role=option]');
      assert.equal(await p.page.$$eval('[role=option]', (o) => o.length), 3);
      assert.equal(await p.page.getAttribute('#code', 'aria-expanded'), 'true');
      await p.page.keyboard.press('ArrowDown');
      await p.page.keyboard.press('ArrowDown');
      assert.equal(await p.page.getAttribute('#code', 'aria-activedescendant'), 'code-option-1');
      await p.page.keyboard.press('Enter');
      assert.equal(await p.page.inputValue('#code'), '47381');
      assert.equal(await p.page.getAttribute('#code', 'aria-expanded'), 'false');
      await p.page.keyboard.press('Enter');
      await p.page.waitForSelector('td[data-code="47381"]');
      await p.page.fill('#code', '4738');
      await p.page.dispatchEvent('#code', 'input');
      await p.page.waitForSelector('#code-options:not([hidden])');
      await p.page.keyboard.press('Escape');
      assert.equal(await p.page.isHidden('#code-options'), true);
      await p.close();
    });

    test('no serious or critical accessibility violations (axe-core)', async () => {
      for (const hash of ['', '#code=47371&product=medicare-ppo-blue&setting=outpatient', '#code=47371,99999', '#code=bad&product=x&setting=inpatient']) {
        const p = await openPage(browser, target, { hash });
        await p.page.addScriptTag({ content: axeSource }).catch(async () => {
          // The page's CSP refuses injected scripts; evaluate axe in the page's world instead.
          await p.page.evaluate(axeSource);
        });
        const violations = await p.page.evaluate(async () => (await window.axe.run(document)).violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
        assert.deepEqual(violations, [], `axe on ${hash || 'the start page'}`);
        await p.close();
      }
    });
  });
}

test('a copy of the hosted page saved to disk answers with no network', async () => {
  const html = await (await fetch(site.url)).text();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'covercheck-saved-'));
  const saved = path.join(dir, 'Coverage check.html');
  await writeFile(saved, html);
  const p = await openPage(browser, { url: pathToFileURL(saved).href, offline: true }, { hash: '#code=47383&product=medicare-hmo-blue&setting=inpatient' });
  const shown = await shownAnswer(p.page);
  assert.equal(shown.coverage, 'investigational');
  assert.equal(shown.authorization, 'required');
  assert.deepEqual(p.foreign(), []);
  await p.close();
});

test('damaged policy data in the page is refused: a clear message and no answers', async () => {
  const html = readFileSync(offlineFile, 'utf8');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'covercheck-damaged-'));
  const bundleBlock = /(<script type="application\/json" id="covercheck-bundle">)([^<]*)/;
  const bundle = JSON.parse(bundleBlock.exec(html)[2]);
  const withBundle = (object) => html.replace(bundleBlock, (_, open) => open + JSON.stringify(object).replace(/</g, '\\u003c'));
  const schemaBroken = structuredClone(bundle);
  schemaBroken.policies[0].code_groups[0].codes[0].code = '4737';
  const { digest, ...unverified } = bundle;
  const variants = {
    'flipped byte': [html.replace('INVESTIGATIONAL.', 'INVESTIGATIONAl.'), 'data.digest_mismatch'],
    truncated: [html.replace(bundleBlock, (_, open, data) => open + data.slice(0, data.length / 2)), 'data.malformed_json'],
    'missing data': [html.replace(bundleBlock, (_, open) => `${open}{}`), 'data.missing_field'],
    'schema violated, digest made to match': [withBundle(withDigest(schemaBroken)), 'data.invalid_code'],
    'digest removed': [withBundle(unverified), 'data.missing_digest'],
    'digest of other data': [withBundle({ ...bundle, digest: digest.replace(/^./, (c) => (c === '0' ? '1' : '0')) }), 'data.digest_mismatch'],
    'a member given twice': [html.replace('"status":"investigational"', '"status":"covered","status":"investigational"'), 'data.duplicate_key'],
  };
  for (const [name, [text, code]] of Object.entries(variants)) {
    assert.notEqual(text, html, `${name} changed the page`);
    const file = path.join(dir, `${name}.html`);
    await writeFile(file, text);
    const p = await openPage(browser, { url: pathToFileURL(file).href, offline: true }, { hash: '#code=47371&product=medicare-ppo-blue&setting=inpatient' });
    const state = await p.page.evaluate(() => ({
      fatal: document.querySelector('.fatal')?.textContent ?? '',
      answers: document.querySelectorAll('article[data-coverage], td[data-coverage]').length,
      disabled: document.getElementById('check').disabled,
    }));
    assert.match(state.fatal, /could not be loaded/, name);
    assert.ok(state.fatal.includes(`(${code})`), `${name}: the message names ${code}: ${state.fatal}`);
    assert.equal(state.answers, 0, name);
    assert.equal(state.disabled, true, name);
    await p.close();
  }
});
