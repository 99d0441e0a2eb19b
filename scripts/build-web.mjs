// Builds the web outputs from the WebAssembly module and policy-data/:
//   web/generated/   the module as an ES module, its .wasm and the policy bundle (for the JS API)
//   dist/covercheck.html   one self-contained page: script, style, wasm and data inlined
//   dist/site/       the same page as index.html plus the JS API files, for any static web server
// Policy files are validated against policy-data/schema/ first; the bundle carries the SHA-256
// digest of its content, computed by the core itself, which the page verifies at load.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);

function fail(message) {
  console.error(`build-web: ${message}`);
  process.exit(1);
}

async function readJson(file, texts) {
  try {
    const text = await readFile(file, 'utf8');
    texts?.push(text);
    return JSON.parse(text);
  } catch (error) {
    fail(`${path.relative(root, file)}: ${error.message}`);
  }
}

// The bundle as the policy files are written (not parsed and written again), for the core to
// check: JSON.parse keeps the last of two members with one name; the core refuses the file.
const sourceTexts = new WeakMap();

/** Validates policy-data/ against its schemas and returns the bundle object (without digest). */
export async function bundleFromPolicyData(dataDir = at('policy-data'), { allowSynthetic = false } = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validatePolicy = ajv.compile(await readJson(at('policy-data/schema/policy.schema.json')));
  const validateProducts = ajv.compile(await readJson(at('policy-data/schema/products.schema.json')));
  const products = await readJson(path.join(dataDir, 'products.json'));
  if (!validateProducts(products)) fail(`products.json: ${ajv.errorsText(validateProducts.errors)}`);
  const names = (await readdir(path.join(dataDir, 'policies'))).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) fail(`no policies in ${path.join(dataDir, 'policies')}`);
  const policies = [];
  const texts = [];
  for (const name of names) {
    const policy = await readJson(path.join(dataDir, 'policies', name), texts);
    if (!validatePolicy(policy)) fail(`policies/${name}: ${ajv.errorsText(validatePolicy.errors, { separator: '\n  ' })}`);
    if (policy.synthetic && !allowSynthetic) fail(`policies/${name} is synthetic test data and is never bundled`);
    policies.push(policy);
  }
  // Same shape and order as wasm/cli/data_files.cpp, so the CLI shows the same data version.
  const bundle = { schema_version: 1, publisher: products.publisher ?? '', products: products.products, policies };
  const head = JSON.stringify({ ...bundle, policies: undefined });
  sourceTexts.set(bundle, `${head.slice(0, -1)},"policies":[${texts.join(',')}]}`);
  return bundle;
}

async function loadCore(wasmBinary) {
  const { default: createCoverCheckCore } = await import(at('web/generated/covercheck-core.mjs'));
  return createCoverCheckCore({ wasmBinary, print() {}, printErr() {} });
}

function sha256Base64(text) {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

// Text placed inside <script> must not contain "</script" (or "<!--"), which would end it early.
function scriptSafe(text) {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

// The Emscripten glue as an ES module (3.1.6 cannot emit ES6 for this target): its
// CommonJS/AMD export tail is replaced by an ES export.
async function moduleFiles(name, exportName) {
  let glue;
  let wasm;
  try {
    glue = await readFile(at(`build/wasm/${name}.js`), 'utf8');
    wasm = await readFile(at(`build/wasm/${name}.wasm`));
  } catch {
    fail(`build/wasm/${name}.{js,wasm} are missing: run \`npm run build\` (it builds the wasm preset first)`);
  }
  const tail = glue.indexOf("if (typeof exports === 'object' && typeof module === 'object')");
  if (tail < 0) fail('unexpected Emscripten glue: the CommonJS export tail was not found');
  const esm = `// Generated from build/wasm/${name}.js by scripts/build-web.mjs. Do not edit.\n${glue.slice(0, tail)}\nexport default ${exportName};\n`;
  // Inlined copies are gzip-compressed (the page inflates them with DecompressionStream).
  return { name, esm, wasm, inline: gzipSync(wasm, { level: 9 }).toString('base64') };
}

// One self-contained page: script, style, module and data inlined, the script and the style
// pinned by hash in the Content-Security-Policy.
async function buildPage({ template, entry, module, bundleText, dataVersion, external = [] }) {
  const built = await esbuild.build({
    entryPoints: [at(entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    external: ['node:*', ...external],
    write: false,
    logLevel: 'warning',
  });
  const script = scriptSafe(built.outputFiles[0].text.trim());
  const style = (await esbuild.transform(await readFile(at('web/style.css'), 'utf8'), { loader: 'css', minify: true })).code.trim();
  if (style.includes('</')) fail('web/style.css must not contain "</"');
  // Every directive is explained in SECURITY.md; tests/e2e/csp.test.mjs checks this list.
  const directives = [
    "default-src 'none'",                                            // nothing not listed below
    `script-src 'sha256-${sha256Base64(script)}' 'wasm-unsafe-eval'`, // only this page's script; compile the inlined module
    `style-src 'sha256-${sha256Base64(style)}'`,                     // only this page's stylesheet
    "img-src data:",                                                  // the inline icon
    "connect-src 'none'",                                             // no request of any kind leaves the page
    "base-uri 'none'",                                                // no <base> can redirect relative links
    "form-action 'none'",                                             // the forms are handled in the page, never sent
    "require-trusted-types-for 'script'",                             // no string ever reaches an HTML or script sink
    "trusted-types 'none'",                                           // ... and no policy may be created to allow one
  ];
  const csp = directives.join('; ');
  const data = [
    `<script type="application/json" id="covercheck-bundle">${bundleText.replace(/</g, '\\u003c')}</script>`,
    `<script type="application/octet-stream" id="covercheck-wasm" data-encoding="gzip+base64">${module.inline}</script>`,
  ].join('\n');
  const replacements = {
    '<!-- @csp -->': `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<!-- @style -->': `<style>${style}</style>`,
    '<!-- @data -->': data,
    '<!-- @script -->': `<script type="module">${script}</script>`,
    '@data-version@': dataVersion,
  };
  let html = await readFile(at(template), 'utf8');
  for (const [marker, value] of Object.entries(replacements)) {
    if (!html.includes(marker)) fail(`${template} lacks the marker ${marker}`);
    html = html.split(marker).join(value);
  }
  return { html, script, directives };
}

// The hosted site can say more than a <meta> can: served as headers (dist/site/_headers, the
// format of common static hosts; SECURITY.md shows the same for nginx and Apache). A page's
// policy goes on that page only: other files of the site (the JS API) are used by other pages.
function siteHeaders(pages) {
  const everyFile = [
    'X-Content-Type-Options: nosniff',      // files are only what their type says
    'Referrer-Policy: no-referrer',         // links out never carry the page address
  ];
  const rules = [['/*', everyFile]];
  for (const { paths, directives } of pages) {
    const lines = [
      `Content-Security-Policy: ${[...directives, "frame-ancestors 'none'"].join('; ')}`, // no framing by other pages
      'X-Frame-Options: DENY',                   // the same, for browsers without frame-ancestors
      'Cross-Origin-Opener-Policy: same-origin', // a page that opens this one gets no handle on it
    ];
    for (const where of paths) rules.push([where, lines]);
  }
  return rules.map(([where, lines]) => `${where}\n${lines.map((line) => `  ${line}\n`).join('')}`).join('');
}

async function main() {
  const checker = await moduleFiles('covercheck-core', 'createCoverCheckCore');
  const importer = await moduleFiles('covercheck-import', 'createCoverCheckImport');

  // 1. web/generated: the modules as ES modules, for web/covercheck.js (browsers and node).
  const generated = at('web/generated');
  await rm(generated, { recursive: true, force: true });
  await mkdir(generated, { recursive: true });
  for (const m of [checker, importer]) {
    await writeFile(path.join(generated, `${m.name}.mjs`), m.esm);
    await writeFile(path.join(generated, `${m.name}.wasm`), m.wasm);
  }

  // 2. The policy bundle, validated, with the digest the core computes for it.
  const bundle = await bundleFromPolicyData();
  const core = await loadCore(checker.wasm);
  const loaded = JSON.parse(core.load(sourceTexts.get(bundle)));
  if (!loaded.success) fail(`the core refuses the policy data: ${loaded.error.code} at ${loaded.error.path}: ${loaded.error.message}`);
  bundle.digest = loaded.data.digest.replace(/^sha256:/, '');
  const bundleText = JSON.stringify(bundle);
  const check = JSON.parse(core.loadVerified(bundleText));
  if (!check.success || check.data.digest !== loaded.data.digest) fail(`the bundle does not verify: ${check.error?.message}`);
  await writeFile(path.join(generated, 'policy-bundle.json'), bundleText);
  const dataVersion = bundle.digest.slice(0, 12);

  // The embeddable element carries the module and the data inside its one script file.
  await writeFile(path.join(generated, 'embed-data.js'),
    `// Generated by scripts/build-web.mjs. Do not edit.\nexport const wasmGzipBase64 = ${JSON.stringify(checker.inline)};\nexport const policyBundle = ${JSON.stringify(bundleText)};\n`);

  // 3. The pages. The checker's page leaves the importer's glue out (it never loads it).
  const page = await buildPage({ template: 'web/index.html', entry: 'web/app.js', module: checker, bundleText, dataVersion,
    external: ['./generated/covercheck-import.mjs'] });
  const importPage = await buildPage({ template: 'web/import.html', entry: 'web/import-app.js', module: importer, bundleText, dataVersion });
  if (page.script.includes('createCoverCheckImport')) fail('the checker page must not carry the importer module');

  const dist = at('dist');
  await rm(dist, { recursive: true, force: true });
  await mkdir(at('dist/site/generated'), { recursive: true });
  for (const file of ['dist/covercheck.html', 'dist/site/index.html', 'dist/site/covercheck.html']) await writeFile(at(file), page.html);
  for (const file of ['dist/covercheck-import.html', 'dist/site/covercheck-import.html']) await writeFile(at(file), importPage.html);
  await writeFile(at('dist/site/_headers'), siteHeaders([
    { paths: ['/', '/index.html', '/covercheck.html'], directives: page.directives },
    { paths: ['/covercheck-import.html'], directives: importPage.directives },
  ]));
  await cp(at('web/covercheck.js'), at('dist/site/covercheck.js'));
  // <cover-check>: one classic script (it also works from file://, where module scripts do not).
  await esbuild.build({
    entryPoints: [at('web/embed.js')],
    outfile: at('dist/site/cover-check.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    external: ['node:*', './generated/covercheck-import.mjs'],
    logLevel: 'error',
    banner: { js: '/* covercheck <cover-check> element: informational only, not a guarantee of coverage. CPT © American Medical Association. */' },
  });
  await cp(at('web/embed-example.html'), at('dist/site/embed-example.html'));
  await cp(generated, at('dist/site/generated'), { recursive: true });

  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`build-web: data version ${dataVersion}, ${bundle.policies.length} policy(ies)`);
  console.log(`build-web: dist/covercheck.html ${kb(Buffer.byteLength(page.html))} (wasm ${kb(checker.wasm.length)}, script ${kb(page.script.length)})`);
  console.log(`build-web: dist/covercheck-import.html ${kb(Buffer.byteLength(importPage.html))} (wasm ${kb(importer.wasm.length)})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
