// Browser-test support: Debian's Chromium through playwright-core, the built site served by
// sirv on a free port, and a record of every request each page makes.
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

export async function serveSite() {
  const handler = sirv(path.join(root, 'dist/site'), { dev: false, etag: true });
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
 * Opens a page that records every request. Offline pages run in a context with networking off;
 * `requests` lists everything asked for, `foreign()` what went beyond the page's own files.
 */
export async function openPage(browser, target, { hash = '', viewport, colorScheme } = {}) {
  const context = await browser.newContext({ offline: target.offline, viewport, colorScheme });
  const page = await context.newPage();
  const requests = [];
  const dialogs = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => errors.push(e.message));
  const base = target.url.split('#')[0];
  await page.goto(base + hash);
  await page.waitForSelector('html[data-ready=true], .fatal');
  const own = target.offline ? (u) => u.split('#')[0] === base : (u) => u.startsWith(base);
  return {
    page, context, requests, dialogs, errors,
    foreign: () => requests.filter((u) => !own(u)),
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
