// The Content-Security-Policy of the offline file and the hosted site (SECURITY.md explains each
// directive): exactly the directives listed, hashes that pin the page's own script and style, no
// way to load, send or run anything else, enforced by the browser; the hosted site's headers add
// what a <meta> cannot (frame-ancestors), and the pages load nothing but themselves.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { root } from '../support/golden.mjs';
import { launch, openPage, serveSite, targets } from './browser.mjs';

const browser = await launch();
const site = await serveSite();
after(async () => { await browser.close(); await site.close(); });

const pages = ['dist/covercheck.html', 'dist/site/index.html', 'dist/site/covercheck.html',
  'dist/covercheck-import.html', 'dist/site/covercheck-import.html'];
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function policyOf(html) {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page carries a CSP <meta>');
  return Object.fromEntries(match[1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

function expectedPolicy(html) {
  const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1, 'one executable script');
  assert.equal(styles.length, 1, 'one stylesheet');
  return {
    'default-src': ["'none'"],
    'script-src': [sha256(scripts[0]), "'wasm-unsafe-eval'"],
    'style-src': [sha256(styles[0])],
    'img-src': ['data:'],
    'connect-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'require-trusted-types-for': ["'script'"],
    'trusted-types': ["'none'"],
  };
}

for (const file of pages) {
  test(`${file}: the CSP is exactly the documented one, and the markup needs nothing more`, () => {
    const html = readFileSync(path.join(root, file), 'utf8');
    assert.deepEqual(policyOf(html), expectedPolicy(html));
    // Before any script or style, right after the charset (the hashes are of UTF-8 bytes).
    assert.match(html, /^<!doctype html>\s*<html lang="en">\s*<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"/);
    const tags = html.replace(/<script type="application\/(json|octet-stream)"[^>]*>[^<]*<\/script>/g, '')
      .replace(/<script type="module">[\s\S]*?<\/script>/, '').replace(/<style>[\s\S]*?<\/style>/, '');
    assert.doesNotMatch(tags, /<[^>]+\son[a-z]+\s*=/i, 'no inline event-handler attribute');
    assert.doesNotMatch(tags, /javascript:/i, 'no javascript: URL');
    assert.doesNotMatch(tags, /\s(src|srcset|action|formaction|poster|data)\s*=/i, 'nothing loaded from anywhere');
    const hrefs = [...tags.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);
    const ownPages = ['data:,', '#answer', '#import', 'covercheck.html', 'covercheck-import.html'];
    assert.deepEqual(hrefs.filter((h) => !ownPages.includes(h)), [], 'links only to itself and its sibling page');
  });
}

test('the hosted site is served with the same policy as headers, plus what a <meta> cannot say', async () => {
  const response = await fetch(site.url);
  const header = response.headers.get('content-security-policy');
  assert.ok(header, 'a CSP header');
  const html = await response.text();
  const fromHeader = Object.fromEntries(header.split(';').map((d) => d.trim().split(/\s+/)).map(([n, ...v]) => [n, v]));
  assert.deepEqual(fromHeader, { ...expectedPolicy(html), 'frame-ancestors': ["'none'"] });
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
  for (const page of ['index.html', 'covercheck.html']) {
    assert.equal((await fetch(new URL(page, site.url))).headers.get('content-security-policy'), header, page);
  }
  // The site's other files serve other pages (the JS API): they get no page policy, only nosniff.
  const api = await fetch(new URL('covercheck.js', site.url));
  assert.equal(api.headers.get('content-security-policy'), null);
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
});

test('another page cannot frame the hosted site', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent(`<iframe src="${site.url}#code=47371"></iframe>`);
  await page.waitForTimeout(500);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const framed = await frame.evaluate(() => document.documentElement.dataset.ready ?? null).catch(() => null);
  assert.equal(framed, null, 'the app did not start inside the frame');
  await context.close();
});

for (const target of targets(site)) {
  describe(target.name, () => {
    test('the page loads nothing but itself, and the browser enforces the policy', async () => {
      const p = await openPage(browser, target, { hash: '#code=47371,47381,47383' });
      assert.deepEqual(p.requests, [target.url.split('#')[0]], 'one request: the page itself');
      const attempts = await p.page.evaluate(async () => {
        const outcome = async (run) => {
          try {
            const value = await run();
            return value === undefined ? 'allowed' : `allowed: ${value}`;
          } catch (error) {
            return `refused: ${error.name}`;
          }
        };
        const fetched = (url) => fetch(url).then((r) => r.status);
        return {
          innerHTML: await outcome(() => { document.getElementById('answer').innerHTML = '<b>x</b>'; }),
          insertAdjacentHTML: await outcome(() => { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); }),
          scriptText: await outcome(() => { const s = document.createElement('script'); s.textContent = 'window.__ran=1'; document.body.append(s); }),
          handlerAttribute: await outcome(() => { document.body.setAttribute('onclick', 'window.__ran=1'); }),
          stringTimer: await outcome(() => new Promise((resolve) => {
            setTimeout('window.__ran=1', 0);
            setTimeout(() => resolve(window.__ran), 50);
          })),
          fetchOwnOrigin: await outcome(() => fetched(location.href)),
          fetchElsewhere: await outcome(() => fetched('https://evil.example/')),
          dynamicImport: await outcome(() => import('data:text/javascript,window.__ran=1')),
          ran: window.__ran ?? null,
        };
      });
      assert.deepEqual(attempts, {
        innerHTML: 'refused: TypeError',           // Trusted Types: no string reaches an HTML sink
        insertAdjacentHTML: 'refused: TypeError',
        scriptText: 'refused: TypeError',
        handlerAttribute: 'refused: TypeError',    // ... nor an event-handler attribute
        stringTimer: 'refused: TypeError',         // ... nor code as a string (and no 'unsafe-eval' either)
        fetchOwnOrigin: 'refused: TypeError',      // connect-src 'none', even for its own files
        fetchElsewhere: 'refused: TypeError',
        dynamicImport: 'refused: TypeError',       // script-src admits only the page's own script
        ran: null,
      });
      const violations = await p.violations();
      for (const directive of ['require-trusted-types-for', 'script-src', 'connect-src']) {
        assert.ok(violations.some((v) => v.startsWith(directive)), `the browser reported a ${directive} violation`);
      }
      assert.deepEqual(p.foreign(), [], 'nothing left the page');
      assert.deepEqual(p.requests, [target.url.split('#')[0]], 'and nothing else was even attempted');
      await p.close();
    });

    test('the checks would notice an injection (control)', async () => {
      const p = await openPage(browser, target);
      // Markup made through the DOM API, as a bug in the page could: a frame and a beacon image.
      await p.page.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'https://evil.example/beacon';
        document.getElementById('answer').append(img, document.createElement('iframe'));
      });
      await p.page.waitForTimeout(200);
      const { inertState, assertInert } = await import('./xss-payloads.mjs');
      const state = await inertState(p.page);
      assert.equal(state.dangerous.length, 2);
      assert.ok(state.violations.some((v) => v.startsWith('img-src')), 'the CSP refused the image');
      assert.throws(() => assertInert(state, p, 'control'), /markup was injected/);
      await p.close();
    });
  });
}
