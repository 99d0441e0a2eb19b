// The page cannot be turned against its user: every payload of xss-payloads.mjs, in every key of
// the URL fragment (percent-encoded, and raw as a crafted link would carry it), typed into the code
// field, and inside a typed list of codes. Nothing runs, no dialog opens, nothing is injected, no
// request leaves the page's own files (intercepted: the offline file makes none, the hosted site
// none beyond its origin), and the payload is shown as text.
//
// A box added to the page (a pasted code list, a pasted policy document) joins by adding one entry
// to `places` below.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { launch, openPage, serveSite, targets } from './browser.mjs';
import { assertInert, inertState, showsAsText, xssPayloads } from './xss-payloads.mjs';

const browser = await launch();
const site = await serveSite();
after(async () => { await browser.close(); await site.close(); });

const question = { code: '47371', product: 'medicare-ppo-blue', setting: 'inpatient', date: '2026-11-24' };
let serial = 0;

// Sets the fragment and waits until the page has answered it (the app's hashchange listener runs
// first; a unique extra parameter, which the page ignores, makes every fragment a change).
async function goToFragment(page, fragment) {
  await page.evaluate((hash) => new Promise((resolve) => {
    window.addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
    location.hash = hash;
  }), `${fragment}&n=${++serial}`);
}

async function submitCodeField(page, text) {
  await page.fill('#code', text);
  await page.click('#check');
  await page.waitForFunction((typed) => new URLSearchParams(location.hash.slice(1)).get('code') === typed.trim(), text);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

const fragmentWith = (key, value, encode) => {
  const others = Object.entries(question).filter(([k]) => k !== key).map(([k, v]) => `${k}=${v}`);
  return `#${key}=${encode ? encodeURIComponent(value) : value}&${others.join('&')}`;
};

/** Where untrusted text enters the page: put(page, payload) returns the text the page should show. */
const places = [
  ...Object.keys(question).flatMap((key) => [
    {
      name: `fragment ${key}, percent-encoded`,
      put: async (page, payload) => { await goToFragment(page, fragmentWith(key, payload, true)); return payload; },
    },
    {
      name: `fragment ${key}, raw as in a crafted link`,
      put: async (page, payload) => {
        await goToFragment(page, fragmentWith(key, payload, false));
        // What the page reads back from such a link: URLs lose tabs and line breaks, and the
        // payload may be cut at "&".
        return new URLSearchParams(fragmentWith(key, payload, false).slice(1).replace(/[\t\n\r]/g, '')).get(key) ?? '';
      },
    },
  ]),
  {
    name: 'typed into the code field',
    put: async (page, payload) => { await submitCodeField(page, payload); return payload.trim(); },
  },
  {
    name: 'inside a typed list of codes',
    put: async (page, payload) => { await submitCodeField(page, `47383, ${payload}, 47371`); return payload.trim(); },
  },
  {
    name: 'inside a pasted list of codes (one per line)',
    put: async (page, payload) => {
      await page.fill('#code', '');
      await page.focus('#code');
      await page.evaluate((text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        document.getElementById('code').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, `47383\n${payload}\n47371`);
      await page.click('#check');
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      // The paste turns line breaks into separators; the payload's first line is what must show.
      return payload.split(/\s*[\r\n]+\s*/).find((line) => line.trim()) ?? '';
    },
  },
];

for (const target of targets(site)) {
  describe(target.name, () => {
    for (const place of places) {
      test(`${xssPayloads.length} payloads ${place.name}: inert, and shown as text`, async () => {
        const p = await openPage(browser, target);
        for (const payload of xssPayloads) {
          const label = `${payload.name} (${place.name})`;
          const expected = await place.put(p.page, payload.text);
          const state = await inertState(p.page);
          assertInert(state, p, label);
          if (expected.trim()) assert.ok(showsAsText(state, expected), `${label}: shown as text`);
        }
        // Handlers that would fire later (a failed image load, a toggle, a focus) have had time.
        await p.page.waitForTimeout(200);
        assertInert(await inertState(p.page), p, `${place.name}, after a pause`);
        assert.deepEqual(p.errors, [], 'no page errors');
        if (target.offline) assert.deepEqual(p.requests.filter((u) => !u.startsWith('file:')), [], 'the offline file makes no request');
        await p.close();
      });
    }

    test('a long paste neither freezes nor breaks the page', async () => {
      const p = await openPage(browser, target);
      const pastes = [
        `${'1'.repeat(100_000)},`,                                               // the last entry of a long list
        'cryo liver '.repeat(2_000),                                              // words too long to search: once a page error
        Array.from({ length: 5_000 }, (_, i) => String(10_000 + i)).join(', '),   // more codes than the page checks at once
      ];
      for (const text of pastes) {
        const started = Date.now();
        await p.page.fill('#code', text);
        await p.page.click('#check');
        await p.page.waitForSelector('#form-error:not([hidden])');
        assert.ok(Date.now() - started < 2_000, `${text.slice(0, 20)}…: answered in ${Date.now() - started} ms`);
      }
      assert.deepEqual(p.errors, []);
      assertInert(await inertState(p.page), p, 'long paste');
      await p.close();
    });

    test('a list of codes with payloads still answers its real codes', async () => {
      const p = await openPage(browser, target);
      await submitCodeField(p.page, `47383 ${xssPayloads.slice(0, 6).map((x) => x.text).join(', ')} 47371`);
      assert.equal(await p.page.locator('td[data-code="47383"]').count(), 8);
      assert.equal(await p.page.locator('td[data-code="47371"]').count(), 8);
      assert.ok(await p.page.isVisible('#form-error'));
      assertInert(await inertState(p.page), p, 'list');
      await p.close();
    });
  });
}

// The "Check a policy document" page: payloads inside a pasted policy document (its title, a
// code row, a statement) are read by the importer and shown as text, never run.
for (const target of targets(site, 'covercheck-import.html')) {
  test(`${target.name}, import page: ${xssPayloads.length} payloads in a pasted policy document stay inert`, async () => {
    const p = await openPage(browser, target);
    for (const payload of xssPayloads) {
      const documentText = [
        `Medical Policy`, '', `Example ${payload.text} Policy`, '', 'Policy Number: 999', '', 'Policy', '',
        'Commercial Members: Managed Care (HMO and POS), PPO, and Indemnity', '',
        `Example ${payload.text} is INVESTIGATIONAL.`, '', 'CPT Codes', '',
        `The following CPT codes are considered investigational for Commercial Members: Managed Care (HMO and POS), PPO, Indemnity:`,
        '', `99990\t${payload.text}`, '',
      ].join('\n');
      await p.page.fill('#import-text', documentText);
      await p.page.click('#import-read');
      await p.page.waitForFunction(() => document.querySelector('#import-result')?.getAttribute('aria-busy') === 'false');
      const state = await inertState(p.page);
      assertInert(state, p, `${payload.name} (pasted policy document)`);
    }
    await p.page.waitForTimeout(200);
    assertInert(await inertState(p.page), p, 'pasted policy documents, after a pause');
    assert.deepEqual(p.errors, [], 'no page errors');
    await p.close();
  });
}
