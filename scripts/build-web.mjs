// Builds the web outputs from the WebAssembly module and policy-data/:
//   web/generated/   the module as an ES module, its .wasm and the policy bundle (for the JS API)
//   dist/covercheck.html   one self-contained page: script, style, wasm and data inlined
//   dist/site/       the same page as index.html plus the JS API files, for any static web server
// Policy files are validated against policy-data/schema/ first; the bundle carries the SHA-256
// digest of its content, computed by the core itself, which the page verifies at load.
import { createHash } from 'node:crypto';
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

async function main() {
  const wasmDir = at('build/wasm');
  let glue;
  let wasm;
  try {
    glue = await readFile(path.join(wasmDir, 'covercheck-core.js'), 'utf8');
    wasm = await readFile(path.join(wasmDir, 'covercheck-core.wasm'));
  } catch {
    fail('build/wasm/covercheck-core.{js,wasm} are missing: run `npm run build` (it builds the wasm preset first)');
  }

  // 1. The generated module as an ES module (Emscripten 3.1.6 cannot emit ES6 for this target):
  //    its CommonJS/AMD export tail is replaced by an ES export.
  const tail = glue.indexOf("if (typeof exports === 'object' && typeof module === 'object')");
  if (tail < 0) fail('unexpected Emscripten glue: the CommonJS export tail was not found');
  glue = glue.slice(0, tail);
  const generated = at('web/generated');
  await rm(generated, { recursive: true, force: true });
  await mkdir(generated, { recursive: true });
  await writeFile(path.join(generated, 'covercheck-core.mjs'),
    `// Generated from build/wasm/covercheck-core.js by scripts/build-web.mjs. Do not edit.\n${glue}\nexport default createCoverCheckCore;\n`);
  await writeFile(path.join(generated, 'covercheck-core.wasm'), wasm);

  // 2. The policy bundle, validated, with the digest the core computes for it.
  const bundle = await bundleFromPolicyData();
  const core = await loadCore(wasm);
  const loaded = JSON.parse(core.load(sourceTexts.get(bundle)));
  if (!loaded.success) fail(`the core refuses the policy data: ${loaded.error.code} at ${loaded.error.path}: ${loaded.error.message}`);
  bundle.digest = loaded.data.digest.replace(/^sha256:/, '');
  const bundleText = JSON.stringify(bundle);
  const check = JSON.parse(core.loadVerified(bundleText));
  if (!check.success || check.data.digest !== loaded.data.digest) fail(`the bundle does not verify: ${check.error?.message}`);
  await writeFile(path.join(generated, 'policy-bundle.json'), bundleText);

  // 3. The page script: web/app.js and its imports in one ES module.
  const built = await esbuild.build({
    entryPoints: [at('web/app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    external: ['node:*'],
    write: false,
    logLevel: 'warning',
  });
  const script = scriptSafe(built.outputFiles[0].text.trim());
  const style = (await readFile(at('web/style.css'), 'utf8')).trim();
  if (style.includes('</')) fail('web/style.css must not contain "</"');

  // 4. The page: inline everything, then pin the script and style by hash in the CSP. Every
  //    directive is explained in SECURITY.md; tests/e2e/csp.test.mjs checks this list.
  const template = await readFile(at('web/index.html'), 'utf8');
  const directives = [
    "default-src 'none'",                                            // nothing not listed below
    `script-src 'sha256-${sha256Base64(script)}' 'wasm-unsafe-eval'`, // only this page's script; compile the inlined module
    `style-src 'sha256-${sha256Base64(style)}'`,                     // only this page's stylesheet
    "img-src data:",                                                  // the inline icon
    "connect-src 'none'",                                             // no request of any kind leaves the page
    "base-uri 'none'",                                                // no <base> can redirect relative links
    "form-action 'none'",                                             // the form is handled in the page, never sent
    "require-trusted-types-for 'script'",                             // no string ever reaches an HTML or script sink
    "trusted-types 'none'",                                           // ... and no policy may be created to allow one
  ];
  const csp = directives.join('; ');
  // The hosted site can say more than a <meta> can: served as headers (dist/site/_headers, the
  // format of common static hosts; SECURITY.md shows the same for nginx and Apache). The page's
  // policy goes on the page only: other files of the site (the JS API) are used by other pages.
  const everyFile = [
    'X-Content-Type-Options: nosniff',      // files are only what their type says
    'Referrer-Policy: no-referrer',         // links out never carry the page address
  ];
  const page = [
    `Content-Security-Policy: ${[...directives, "frame-ancestors 'none'"].join('; ')}`, // no framing by other pages
    'X-Frame-Options: DENY',               // the same, for browsers without frame-ancestors
    'Cross-Origin-Opener-Policy: same-origin', // a page that opens this one gets no handle on it
  ];
  const headerRules = [['/*', everyFile], ...['/', '/index.html', '/covercheck.html'].map((p) => [p, page])];
  const headers = headerRules.map(([where, lines]) => `${where}\n${lines.map((line) => `  ${line}\n`).join('')}`).join('');
  const data = [
    `<script type="application/json" id="covercheck-bundle">${bundleText.replace(/</g, '\\u003c')}</script>`,
    `<script type="application/octet-stream" id="covercheck-wasm" data-encoding="base64">${wasm.toString('base64')}</script>`,
  ].join('\n');
  const replacements = {
    '<!-- @csp -->': `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<!-- @style -->': `<style>${style}</style>`,
    '<!-- @data -->': data,
    '<!-- @script -->': `<script type="module">${script}</script>`,
    '@data-version@': bundle.digest.slice(0, 12),
  };
  let html = template;
  for (const [marker, value] of Object.entries(replacements)) {
    if (!html.includes(marker)) fail(`web/index.html lacks the marker ${marker}`);
    html = html.split(marker).join(value);
  }

  const dist = at('dist');
  await rm(dist, { recursive: true, force: true });
  await mkdir(at('dist/site/generated'), { recursive: true });
  await writeFile(at('dist/covercheck.html'), html);
  await writeFile(at('dist/site/index.html'), html);
  await writeFile(at('dist/site/covercheck.html'), html);
  await writeFile(at('dist/site/_headers'), headers);
  await cp(at('web/covercheck.js'), at('dist/site/covercheck.js'));
  await cp(generated, at('dist/site/generated'), { recursive: true });

  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`build-web: data version ${bundle.digest.slice(0, 12)}, ${bundle.policies.length} policy(ies)`);
  console.log(`build-web: dist/covercheck.html ${kb(Buffer.byteLength(html))} (wasm ${kb(wasm.length)}, script ${kb(script.length)})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
