// Browser-test support: Debian's Chromium through playwright-core, the built site served by
// sirv on a free port, and a record of every request each page makes.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import sirv from 'sirv';
import { root } from '../support/golden.mjs';

export const offlineFile = path.join(root, 'dist/covercheck.html');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * The response headers dist/site/_headers asks for on `pathname`: blocks of a path ("/index.html",
 * or a prefix ending in "*") followed by indented "Name: value" lines; every matching block applies.
 */
export function siteHeaders(pathname) {
  const file = path.join(root, 'dist/site/_headers');
  if (!existsSync(file)) return {};
  const headers = {};
  let applies = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const header = /^\s+([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (header) {
      if (applies) headers[header[1]] = header[2];
    } else if (line.trim()) {
      const where = line.trim();
      applies = where.endsWith('*') ? pathname.startsWith(where.slice(0, -1)) : pathname === where;
    }
  }
  return headers;
}

/** Serves dist/site/ over http as a static host would, with the headers of dist/site/_headers. */
export async function serveSite() {
  const handler = sirv(path.join(root, 'dist/site'), { dev: false, etag: true, setHeaders: (res, pathname) => {
    for (const [name, value] of Object.entries(siteHeaders(pathname))) res.setHeader(name, value);
  } });
  const server = createServer((req, res) => handler(req, res, () => { res.statusCode = 404; res.end('not found'); }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * The two ways a page is used: the offline file over file://, and the hosted site over http.
 * `page` is the file name in dist/ and dist/site/ (the checker is also the site's index).
 */
export function targets(site, page = 'covercheck.html') {
  return [
    { name: 'offline file', url: pathToFileURL(path.join(root, 'dist', page)).href, offline: true },
    { name: 'hosted site', url: page === 'covercheck.html' ? site.url : `${site.url}${page}`, offline: false },
  ];
}

/**
 * Opens a page that records every request and intercepts them: anything beyond the page's own
 * files (the offline file itself; the hosted site's origin) is aborted and listed by `foreign()`.
 * Offline pages also run in a context with networking off. `dialogs` lists alert/confirm/prompt
 * messages, `errors` uncaught page errors; `violations()` reads the CSP violations the page saw.
 */
export async function openPage(browser, target, { hash = '', viewport, colorScheme, also = [] } = {}) {
  const context = await browser.newContext({ offline: target.offline, viewport, colorScheme });
  const base = target.url.split('#')[0];
  // data: and blob: URLs are made inside the page (an icon, a download it builds): not requests.
  const inPage = (u) => u.startsWith('data:') || u.startsWith('blob:');
  // `also`: other files of ours a test navigates to on purpose (the checker and its import page).
  const ownFiles = new Set([base, ...also.map((name) => new URL(name, base).href)]);
  const own = target.offline
    ? (u) => inPage(u) || ownFiles.has(u.split('#')[0])
    : (u) => inPage(u) || new URL(u).origin === new URL(base).origin;
  const requests = [];
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (own(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const dialogs = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + hash);
  await page.waitForSelector('html[data-ready=true], .fatal');
  return {
    page, context, requests, dialogs, errors,
    foreign: () => [...new Set([...blocked, ...requests.filter((u) => !own(u))])],
    violations: () => page.evaluate(() => window.__cspViolations),
    close: () => context.close(),
  };
}

/** Reads the answer the page shows for a single query, or the error it shows. */
export async function shownAnswer(page) {
  return page.evaluate(() => {
    const article = document.querySelector('#answer article[data-coverage]');
    const error = document.getElementById('form-error');
    return {
      coverage: article?.dataset.coverage ?? null,
      authorization: article?.dataset.authorization ?? null,
      text: article?.textContent ?? '',
      error: error.hidden ? null : error.textContent,
      invalid: [...document.querySelectorAll('[aria-invalid=true]')].map((e) => e.id || e.name),
    };
  });
}
