// The page's features for members and provider staff, from the offline file and the hosted
// site: the matrix of many codes, pasting, filters, the policy view, exports, the CRD view,
// print, keyboard-only use, accessibility at every view, small screens, and the embeddable
// element on an intranet-style page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { goldenCases, root } from '../support/golden.mjs';
import { launch, openPage, serveSite, targets } from './browser.mjs';

const browser = await launch();
const site = await serveSite();
after(async () => { await browser.close(); await site.close(); });

const answers = goldenCases().filter((c) => c.call === 'evaluate' && c.expect.success && /^473\d\d$/.test(c.request?.code ?? '') && Object.keys(c.request).length === 3);
const axeSource = await readFile(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

async function go(p, hash) {
  await p.page.evaluate((h) => { location.hash = h; }, hash);
  await p.page.waitForFunction((h) => location.hash === (h === '#' ? '' : h), hash);
}

async function axe(page, label) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], `axe: ${label}`);
}

async function paste(page, selector, text) {
  await page.focus(selector);
  await page.evaluate(({ selector, text }) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector(selector).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, { selector, text });
}

for (const target of targets(site)) {
  describe(target.name, () => {
    test('the matrix of all three codes equals the 24 golden answers', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371,47381,47383' });
      const cells = await p.page.$$eval('table.matrix-table td[data-coverage]', (tds) => tds.map((td) => ({ ...td.dataset })));
      assert.equal(cells.length, 24);
      for (const c of answers) {
        const cell = cells.find((x) => x.code === c.request.code && x.product === c.request.product && x.setting === c.request.setting);
        assert.ok(cell, c.file);
        assert.equal(cell.coverage, c.expect.data.coverage.status, c.file);
        assert.equal(cell.authorization, c.expect.data.authorization.status, c.file);
      }
      assert.match(await p.page.textContent('.counts'), /3 codes, 24 answers: 24 investigational · 12 prior authorization required · 12 this is not a covered service/);
      assert.deepEqual(p.foreign(), []);
      await p.close();
    });

    test('a pasted list: line breaks kept as separators, malformed entries listed, unknown codes not in our data', async () => {
      const p = await openPage(browser, target);
      await paste(p.page, '#code', '47371\r\n<b>bad</b>\n99999\n\n47383\n');
      assert.equal(await p.page.inputValue('#code'), '47371, <b>bad</b>, 99999, 47383');
      await p.page.click('#check');
      await p.page.waitForSelector('table.matrix-table');
      const state = await p.page.evaluate(() => ({
        invalid: [...document.querySelectorAll('.invalid-list li')].map((li) => li.textContent),
        notInData: [...document.querySelectorAll('tbody.not-in-data')].map((t) => t.dataset.code),
        rows: document.querySelectorAll('table.matrix-table tbody tr').length,
        bold: document.querySelectorAll('#answer b, #form-error b').length,
        link: location.hash,
      }));
      assert.equal(state.invalid.length, 1);
      assert.match(state.invalid[0], /<b>bad<\/b>/, 'shown as text');
      assert.equal(state.bold, 0);
      assert.deepEqual(state.notInData, ['99999']);
      assert.equal(state.rows, 12);
      assert.match(state.link, /code=47371,%20%3Cb%3Ebad%3C%2Fb%3E,%2099999,%2047383/, 'a list with markup is kept exactly as typed');
      await p.close();
    });

    test('the filter keeps only matching rows and lives in the link', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371,99999' });
      await p.page.selectOption('#matrix-filter', 'not-in-data');
      await p.page.waitForFunction(() => location.hash.includes('filter=not-in-data'));
      let codes = await p.page.$$eval('table.matrix-table tbody', (b) => b.map((x) => x.dataset.code));
      assert.deepEqual(codes, ['99999']);
      await p.page.reload();
      await p.page.waitForSelector('html[data-ready=true]');
      codes = await p.page.$$eval('table.matrix-table tbody', (b) => b.map((x) => x.dataset.code));
      assert.deepEqual(codes, ['99999']);
      assert.equal(await p.page.inputValue('#matrix-filter'), 'not-in-data');
      await p.page.selectOption('#matrix-filter', 'needs-authorization');
      await p.page.waitForFunction(() => location.hash.includes('filter=needs-authorization'));
      codes = await p.page.$$eval('table.matrix-table tbody', (b) => b.map((x) => x.dataset.code));
      assert.deepEqual(codes, ['47371']);
      await p.close();
    });

    test('10,000 pasted entries: a clear message, the field keeps them, the page stays responsive', async () => {
      const p = await openPage(browser, target);
      const list = Array.from({ length: 10000 }, (_, i) => String(10000 + i)).join('\n');
      await paste(p.page, '#code', list);
      const started = Date.now();
      await p.page.click('#check');
      await p.page.waitForSelector('#form-error:not([hidden])');
      assert.match(await p.page.textContent('#form-error'), /10,000 entries were given; at most 500/);
      assert.equal((await p.page.inputValue('#code')).split(/[\s,]+/).length, 10000, 'nothing typed is lost');
      assert.equal(await p.page.evaluate(() => 1 + 1), 2);
      assert.ok(Date.now() - started < 5000);
      await p.close();
    });

    test('the policy view: statements, authorization table as printed, codes, related, evidence, history', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371&product=medicare-ppo-blue&setting=outpatient' });
      await p.page.click('text=Read policy #633 in full');
      await p.page.waitForSelector('article.policy-view');
      const view = await p.page.evaluate(() => {
        const a = document.querySelector('article.policy-view');
        return {
          text: a.textContent,
          codes: [...a.querySelectorAll('a[href^="#code="]')].map((x) => x.textContent),
          notIncluded: (a.textContent.match(/not included in this checker/g) ?? []).length,
          evidence: a.querySelectorAll('.evidence li').length,
          history: a.querySelectorAll('details tbody tr').length,
        };
      });
      assert.deepEqual(view.codes, ['47371', '47381', '47383']);
      assert.equal(view.notIncluded, 7);
      assert.equal(view.evidence, 3);
      assert.equal(view.history, 25);
      for (const text of ['IS REQUIRED for all products', 'Medicare PPO Blue SM', 'This is not a covered service.', '36 references', 'Data version', 'INVESTIGATIONAL']) {
        assert.ok(view.text.includes(text), text);
      }
      await p.page.goBack();
      await p.page.waitForSelector('article[data-coverage]');
      await p.close();
    });

    test('date of service: inside the policy period it says which version; before it, not in our data', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371&product=medicare-ppo-blue&setting=inpatient&date=2026-11-24' });
      assert.match(await p.page.textContent('.version-line'), /last reviewed November 2023, for dates of service from 2023-11-01/);
      await go(p, '#code=47371&product=medicare-ppo-blue&setting=inpatient&date=2019-06-30');
      await p.page.waitForSelector('article[data-coverage="not-in-data"]');
      assert.match(await p.page.textContent('article'), /applies to dates of service from 2023-11-01/);
      await p.close();
    });

    test('a half-typed date of service is reported, not silently dropped', async () => {
      const p = await openPage(browser, target);
      await p.page.fill('#code', '47371');
      await p.page.focus('#date');
      await p.page.keyboard.type('11');  // month only: the field cannot give a date
      await p.page.click('#check');
      await p.page.waitForSelector('#form-error:not([hidden])');
      assert.match(await p.page.textContent('#form-error'), /not a complete date/);
      assert.equal(await p.page.getAttribute('#date', 'aria-invalid'), 'true');
      assert.equal(await p.page.$('#answer article[data-code]'), null, 'no answer for a date the page could not read');
      await p.close();
    });

    test('CSV and JSON downloads hold the answers shown', async () => {
      const p = await openPage(browser, target, { hash: '#code=47381' });
      const [csvDownload] = await Promise.all([p.page.waitForEvent('download'), p.page.click('text=Download CSV')]);
      const csv = await readFile(await csvDownload.path(), 'utf8');
      const lines = csv.trim().split('\r\n');
      assert.equal(lines.length, 9);
      assert.match(lines[0], /^code,description,product,product_label,setting,date_of_service,coverage,coverage_statement,authorization,/);
      assert.ok(lines.slice(1).every((l) => l.startsWith('47381,"Ablation, open, 1 or more liver tumor(s); cryosurgical"')));
      assert.equal(lines.filter((l) => l.includes(',not-covered,This is not a covered service.,633,')).length, 4);
      assert.match(csvDownload.suggestedFilename(), /^covercheck-47381-\d{4}-\d{2}-\d{2}\.csv$/);
      const [jsonDownload] = await Promise.all([p.page.waitForEvent('download'), p.page.click('text=Download JSON')]);
      const json = JSON.parse(await readFile(await jsonDownload.path(), 'utf8'));
      assert.equal(json.results.length, 8);
      assert.ok(json.results.every((r) => r.coverage.status === 'investigational'));
      assert.deepEqual(p.foreign().filter((u) => !u.startsWith('blob:')), []);
      await p.close();
    });

    test('the CRD view keeps the guide’s rules and a stable assertion id', async () => {
      const hash = '#code=47371&product=commercial-ppo-indemnity&setting=inpatient';
      const read = async (p) => {
        await p.page.click('details.crd summary');
        return JSON.parse(await p.page.textContent('details.crd pre'));
      };
      const p = await openPage(browser, target, { hash });
      const ext = await read(p);
      const get = (url) => ext.extension.find((e) => e.url === url);
      assert.equal(ext.url, 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information');
      assert.ok(['covered', 'not-covered', 'conditional', 'indeterminate'].includes(get('covered').valueCode));
      assert.equal(get('covered').valueCode, 'not-covered');
      assert.equal(get('pa-needed'), undefined, 'no pa-needed when not-covered');
      assert.match(get('reason').valueCodeableConcept.text, /INVESTIGATIONAL/);
      assert.match(JSON.stringify(get('detail')), /policy-link/);
      assert.match(get('date').valueDate, /^\d{4}-\d{2}-\d{2}$/);
      await p.page.reload();
      await p.page.waitForSelector('html[data-ready=true]');
      const again = await read(p);
      assert.equal(again.extension.find((e) => e.url === 'coverage-assertion-id').valueString, get('coverage-assertion-id').valueString);
      await p.close();
    });

    test('printing shows the answer with the date and the data version, without the form', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371&product=medicare-hmo-blue&setting=outpatient' });
      await p.page.emulateMedia({ media: 'print' });
      await p.page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      const shown = await p.page.evaluate(() => ({
        form: getComputedStyle(document.getElementById('query')).display,
        meta: getComputedStyle(document.getElementById('print-meta')).display,
        metaText: document.getElementById('print-meta').textContent,
        answer: getComputedStyle(document.querySelector('article[data-coverage]')).display,
      }));
      assert.equal(shown.form, 'none');
      assert.equal(shown.meta, 'block');
      assert.match(shown.metaText, /Printed .* data version [0-9a-f]{12}/);
      assert.notEqual(shown.answer, 'none');
      if (!target.offline) {
        const pdf = await p.page.pdf({ format: 'Letter' });
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        assert.ok(pages >= 1 && pages <= 2, `the answer fits on ${pages} page(s)`);
      }
      await p.close();
    });

    test('keyboard only: find a code, pick product and setting, check, reach the answer tools', async () => {
      const p = await openPage(browser, target);
      const k = p.page.keyboard;
      await k.press('Tab'); // skip link
      await k.press('Tab'); // code field
      assert.equal(await p.page.evaluate(() => document.activeElement.id), 'code');
      await k.type('percut');
      await p.page.waitForSelector('[role=option]');
      await k.press('ArrowDown');
      await k.press('Enter');
      assert.equal(await p.page.inputValue('#code'), '47383');
      await k.press('Tab');
      assert.equal(await p.page.evaluate(() => document.activeElement.id), 'product');
      for (let i = 0; i < 4; i++) await k.press('ArrowDown');
      assert.equal(await p.page.inputValue('#product'), 'medicare-ppo-blue');
      await k.press('Tab');
      await k.press('ArrowRight');
      await k.press('ArrowRight');
      assert.equal(await p.page.evaluate(() => document.activeElement.value), 'outpatient');
      // The date field's month, day and year are separate stops.
      for (let i = 0; i < 6 && (await p.page.evaluate(() => document.activeElement.id)) !== 'check'; i++) await k.press('Tab');
      assert.equal(await p.page.evaluate(() => document.activeElement.id), 'check');
      await k.press('Enter');
      await p.page.waitForSelector('article[data-code="47383"][data-setting="outpatient"]');
      await k.press('Tab');
      assert.equal(await p.page.evaluate(() => document.activeElement.textContent), 'Copy link');
      const outline = await p.page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'focus is visible');
      await p.close();
    });

    test('accessibility: no serious or critical axe violations on every view, light and dark', async () => {
      const views = ['', '#code=47371&product=medicare-ppo-blue&setting=outpatient', '#code=47371', '#code=47371,47383,99999,bad', '#policy=bcbsma-633', '#code=bad&product=x&setting=inpatient', '#code=47371,99999&filter=not-in-data'];
      for (const colorScheme of ['light', 'dark']) {
        const p = await openPage(browser, target, { colorScheme });
        for (const hash of views) {
          await go(p, hash || '#');
          await p.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          await axe(p.page, `${colorScheme} ${hash || 'start'}`);
        }
        await p.close();
      }
    });

    test('no horizontal scrolling at 360 px wide or at 200 % zoom', async () => {
      for (const width of [360, 640]) {
        const p = await openPage(browser, target, { viewport: { width, height: 800 } });
        for (const hash of ['#', '#code=47371&product=medicare-ppo-blue&setting=outpatient', '#code=47371', '#code=47371,47381,47383,99999,bad', '#policy=bcbsma-633']) {
          await go(p, hash);
          await p.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          const { scroll, client } = await p.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          assert.ok(scroll <= client, `${width}px ${hash}: content is ${scroll}px wide`);
        }
        await p.close();
      }
    });
  });
}

test('copy link puts the address of the answer on the clipboard (hosted site)', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url.replace(/\/$/, '') });
  const page = await context.newPage();
  await page.goto(`${site.url}#code=47371&product=medicare-ppo-blue&setting=outpatient`);
  await page.waitForSelector('html[data-ready=true]');
  await page.click('text=Copy link');
  await page.waitForFunction(() => document.getElementById('announce').textContent === 'Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${site.url}#code=47371&product=medicare-ppo-blue&setting=outpatient`);
  await context.close();
});

describe('the embeddable element on an intranet page', () => {
  for (const [name, url] of [['served', `${site.url}embed-example.html`], ['from disk', pathToFileURL(path.join(root, 'dist/site/embed-example.html')).href]]) {
    test(`<cover-check> answers inside its own shadow DOM (${name}) with no foreign request`, async () => {
      const context = await browser.newContext({ offline: name === 'from disk' });
      const page = await context.newPage();
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(url);
      await page.waitForFunction(() => [...document.querySelectorAll('cover-check')].every((e) => e.shadowRoot?.querySelector('td')));
      const cells = await page.evaluate(() => [...document.querySelectorAll('cover-check')].map((e) => [...e.shadowRoot.querySelectorAll('td')].map((td) => ({ ...td.dataset }))));
      assert.equal(cells[0].length, 8);
      assert.ok(cells[0].every((c) => c.coverage === 'investigational' && c.authorization === (c.setting === 'inpatient' ? 'required' : 'not-covered')));
      assert.deepEqual(cells[1], [{ product: 'medicare-ppo-blue', setting: 'outpatient', coverage: 'investigational', authorization: 'not-covered' }]);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily.includes('system-ui')), false, 'styles stay inside the element');
      const field = page.locator('cover-check[editable] input');
      await field.fill('47381');
      await field.press('Enter');
      await page.waitForFunction(() => document.querySelector('cover-check[editable]').shadowRoot.querySelector('h2')?.textContent === '47381');
      const base = url.replace(/embed-example\.html$/, '');
      assert.deepEqual(requests.filter((u) => !u.startsWith(base)), []);
      const many = Array.from({ length: 51 }, (_, i) => String(10000 + i)).join(',');
      await page.evaluate((a) => { document.querySelector('cover-check[editable]').setAttribute('code', a); }, many);
      await page.waitForFunction(() => /at most 50/.test(document.querySelector('cover-check[editable]').shadowRoot.querySelector('.error')?.textContent ?? ''));
      assert.equal(await page.evaluate(() => document.querySelector('cover-check[editable]').shadowRoot.querySelector('input').value), many, 'what was given is kept');
      await page.evaluate((a) => { const el = document.querySelector('cover-check[editable]'); el.setAttribute('code', a); }, '<img src=x onerror=alert(1)>');
      await page.waitForFunction(() => document.querySelector('cover-check[editable]').shadowRoot.querySelector('.error'));
      assert.equal(await page.evaluate(() => document.querySelector('cover-check[editable]').shadowRoot.querySelectorAll('img').length), 0);
      await context.close();
    });
  }
});
