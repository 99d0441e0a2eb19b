// Screenshots of the main views at desktop and phone widths, light and dark, into
// build/screenshots/ (run after a build): node scripts/screenshots.mjs
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build/screenshots');
const page = pathToFileURL(path.join(root, 'dist/covercheck.html')).href;
const views = {
  start: '',
  answer: '#code=47371&product=medicare-ppo-blue&setting=outpatient',
  code: '#code=47383',
  matrix: '#code=47371,47381,47383,99999,bad',
  policy: '#policy=bcbsma-633',
};
const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 780 } };

await mkdir(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [size, viewport] of Object.entries(sizes)) {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport, colorScheme, offline: true });
    const tab = await context.newPage();
    for (const [name, hash] of Object.entries(views)) {
      await tab.goto(`${page}${hash}`);
      await tab.waitForSelector('html[data-ready=true]');
      const file = path.join(out, `${name}-${size}-${colorScheme}.png`);
      await tab.screenshot({ path: file, fullPage: true });
      console.log(path.relative(root, file));
    }
    await context.close();
  }
}
await browser.close();
