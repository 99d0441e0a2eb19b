// npm run bench: covercheck against the rules engines a team would pick instead, on the same
// decision, with every figure next to a baseline measured in the same run.
//   1. per answer (policy 633 and a 10,000-code synthetic catalog)   2. cold start in Chromium
//   3. scale to 100,000 codes                                          4. bytes shipped
// Writes tests/bench/results/latest.{json,md}; --write updates BENCHMARKS.md.
// Options: --quick (shorter timings), --only per-answer,cold-start,scale,size
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import sirv from 'sirv';
import { Bench } from 'tinybench';
import { generateCatalog } from '../../scripts/generate-catalog.mjs';
import { loadCoverCheck } from '../../web/covercheck.js';
import { jsonLogicEngine, jsonLogicJs, mapLookup, ruleRows, zenEngine } from './peers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = (args[args.indexOf('--only') + 1] ?? '').split(',').filter((x) => args.includes('--only') && x);
const wants = (part) => !only.length || only.includes(part);
const timing = quick ? { time: 150, warmupTime: 50 } : { time: 600, warmupTime: 150 };

const us = (ms) => ms * 1000;
const fmt = (x, digits = 2) => (x == null || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(digits));
const ratio = (a, b) => (a == null || b == null ? null : a / b);
const results = { machine: machineInfo(), started: new Date().toISOString(), parts: {} };
const md = [];

function machineInfo() {
  const cpus = os.cpus();
  let chromium = '';
  try { chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { chromium = 'not found'; }
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memory_gb: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version, chromium };
}

// Runs fn over a mix of questions per iteration; returns per-question p50/p99 in µs.
async function perQuestion(tasks, perIteration, options = timing) {
  const bench = new Bench(options);
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const out = {};
  for (const task of bench.tasks) {
    if (!task.result?.latency) {
      out[task.name] = { error: String(task.result?.error?.message ?? task.result?.error ?? 'no result') };
      continue;
    }
    const n = perIteration[task.name] ?? 1;
    out[task.name] = { p50: us(task.result.latency.p50) / n, p99: us(task.result.latency.p99) / n, samples: task.result.latency.samplesCount ?? task.result.latency.samples?.length };
  }
  return out;
}

function mixOf(bundle, hits, misses) {
  const codes = bundle.policies.flatMap((p) => p.code_groups.flatMap((g) => g.codes.map((c) => c.code)));
  const products = bundle.products.map((p) => p.id);
  const mix = [];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < hits; i++) {
    const code = hits >= codes.length * 8 ? codes[Math.floor(i / 8) % codes.length] : codes[Math.floor(random() * codes.length)];
    mix.push({ code, product: products[i % products.length], setting: i % 2 ? 'outpatient' : 'inpatient' });
  }
  // Codes no catalog here holds: policy 633 lists CPT 473xx, synthetic catalogs five-digit CPT.
  for (let i = 0; i < misses; i++) mix.push({ code: `V${9000 + i}`, product: products[i % products.length], setting: i % 2 ? 'inpatient' : 'outpatient' });
  return mix;
}

// ---- 1. per answer --------------------------------------------------------------------------

async function perAnswer(label, bundle, mix, batchSize = 10000) {
  const text = JSON.stringify(bundle);
  const cc = await loadCoverCheck({ bundle: text });
  const firstStart = performance.now();
  cc.evaluate(mix[0]);
  const firstEvaluateMs = performance.now() - firstStart;
  const rows = ruleRows(bundle);
  const batch = Array.from({ length: batchSize }, (_, i) => mix[i % mix.length]);
  const engines = {
    'covercheck evaluate (full result)': (q) => cc.evaluate(q),
    'covercheck decide (statuses)': (q) => cc.decide(q),
  };
  const notes = {};
  // A peer that cannot build or run this table is recorded with the reason, not dropped silently.
  const attempt = async (name, make) => {
    try {
      const engine = await make();
      const started = performance.now();
      engine(mix[0]);
      const once = performance.now() - started;
      if (once > 2000) {
        notes[name] = `${name} took ${(once / 1000).toFixed(1)} s for one question on this table (${rows.length} rows); not timed further`;
        return;
      }
      engines[name] = engine;
    } catch (error) {
      notes[name] = `${name} could not run this table (${rows.length} rows): ${String(error?.message ?? error).slice(0, 160)}`;
    }
  };
  await attempt('json-logic-js', () => jsonLogicJs(rows));
  await attempt('json-logic-engine (interpreted)', () => jsonLogicEngine(rows, { compiled: false }));
  await attempt('json-logic-engine (compiled)', () => jsonLogicEngine(rows, { compiled: true }));
  await attempt('zen-engine-wasm (expression)', () => zenEngine(rows));
  engines['Map lookup (floor)'] = mapLookup(rows);
  // Every engine must give covercheck's answer for every question of the mix.
  for (const [name, engine] of Object.entries(engines)) {
    for (const q of rows.length > 1000 && !name.startsWith('covercheck') && !name.startsWith('Map') ? mix.filter((_, i) => i % 10 === 0) : mix) {
      const want = cc.decide(q);
      const got = engine(q);
      const [coverage, authorization] = Array.isArray(got) ? got : typeof got === 'string' ? got.split('|') : [got.coverage?.status ?? got.coverage, got.authorization?.status ?? got.authorization];
      if (coverage !== want.coverage || authorization !== want.authorization) throw new Error(`${name} disagrees on ${JSON.stringify(q)}: ${coverage}/${authorization}`);
    }
  }
  // Engines that scan the table get a tenth of the mix on the big table (same kinds of question).
  const scanning = (name) => rows.length > 1000 && !name.startsWith('covercheck') && !name.startsWith('Map');
  const shortMix = mix.filter((_, i) => i % 10 === 0 || i === mix.length - 1);
  const tasks = {};
  const per = {};
  for (const [name, engine] of Object.entries(engines)) {
    const questions = scanning(name) ? shortMix : mix;
    tasks[name] = () => { for (const q of questions) engine(q); };
    per[name] = questions.length;
  }
  tasks[`covercheck decide, batch of ${batchSize}`] = () => cc.decide(batch);
  per[`covercheck decide, batch of ${batchSize}`] = batchSize;
  tasks[`Map lookup, batch of ${batchSize}`] = () => batch.map(engines['Map lookup (floor)']);
  per[`Map lookup, batch of ${batchSize}`] = batchSize;
  // Engines that scan an 80,000-row table take seconds a pass: fewer passes for the big table.
  const options = rows.length > 1000 ? { time: 50, warmupTime: 0, iterations: quick ? 3 : 8, warmupIterations: 1 } : timing;
  const measured = await perQuestion(tasks, per, options);
  return { label, questions_in_mix: mix.length, rows: rows.length, first_evaluate_ms: firstEvaluateMs, results: measured, notes };
}

function perAnswerTable(part) {
  const r = part.results;
  const base = (name) => r[name]?.p50;
  const lines = [`| engine | p50 µs | p99 µs | ÷ json-logic-js | ÷ json-logic-engine compiled | ÷ zen | ÷ Map |`, '|---|---:|---:|---:|---:|---:|---:|'];
  for (const [name, m] of Object.entries(r)) {
    if (m.error) { lines.push(`| ${name} | failed: ${m.error} | | | | | |`); continue; }
    lines.push(`| ${name} | ${fmt(m.p50, 3)} | ${fmt(m.p99, 3)} | ${fmt(ratio(m.p50, base('json-logic-js')), 3)} | ${fmt(ratio(m.p50, base('json-logic-engine (compiled)')), 3)} | ${fmt(ratio(m.p50, base('zen-engine-wasm (expression)')), 4)} | ${fmt(ratio(m.p50, base('Map lookup (floor)')))} |`);
  }
  return lines.join('\n');
}

// ---- 2. cold start --------------------------------------------------------------------------

async function coldStart(runs) {
  const handler = sirv(path.join(root, 'dist/site'), { dev: false });
  const blankHandler = sirv(path.join(root, 'tests/bench'), { dev: false });
  const server = createServer((req, res) => (req.url.startsWith('/bench/') ? (req.url = req.url.slice(6), blankHandler(req, res)) : handler(req, res)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = `http://127.0.0.1:${server.address().port}/`;
  const targets = {
    'offline file (file://)': pathToFileURL(path.join(root, 'dist/covercheck.html')).href + '#code=47371',
    'blank page (file://)': pathToFileURL(path.join(root, 'tests/bench/blank.html')).href,
    'hosted site (http)': `${http}#code=47371`,
    'blank page (http)': `${http}bench/blank.html`,
  };
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const samples = Object.fromEntries(Object.keys(targets).map((k) => [k, { painted: [], firstRender: [] }]));
  for (let i = 0; i < runs; i++) {
    for (const [name, url] of Object.entries(targets)) {
      const context = await browser.newContext({ offline: url.startsWith('file:') });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('covercheck:answer-painted').length > 0);
      const m = await page.evaluate(() => ({
        painted: performance.getEntriesByName('covercheck:answer-painted')[0].startTime,
        firstRender: performance.getEntriesByName('covercheck:first-render')[0]?.duration ?? null,
      }));
      samples[name].painted.push(m.painted);
      if (m.firstRender != null) samples[name].firstRender.push(m.firstRender);
      await context.close();
    }
  }
  await browser.close();
  server.close();
  const pct = (list, p) => { const s = [...list].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const out = {};
  for (const [name, s] of Object.entries(samples)) out[name] = { p50: pct(s.painted, 0.5), p99: pct(s.painted, 0.99), first_render_p50: s.firstRender.length ? pct(s.firstRender, 0.5) : null, runs };
  return out;
}

// ---- 3. scale -------------------------------------------------------------------------------

async function scale(sizes) {
  const out = [];
  for (const [policies, codes] of sizes) {
    const bundle = generateCatalog({ policies, codes });
    const text = JSON.stringify(bundle);
    const parse = [];
    const load = [];
    let cc;
    for (let i = 0; i < (codes > 50000 ? 3 : 5); i++) {
      let t = performance.now();
      JSON.parse(text);
      parse.push(performance.now() - t);
      t = performance.now();
      cc = await loadCoverCheck({ bundle: text });
      load.push(performance.now() - t);
    }
    const median = (l) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];
    const mix = mixOf(bundle, 90, 10);
    const q = await perQuestion({ evaluate: () => { for (const x of mix) cc.evaluate(x); }, decide: () => { for (const x of mix) cc.decide(x); } }, { evaluate: mix.length, decide: mix.length });
    out.push({ policies, codes, bundle_bytes: text.length, json_parse_ms: median(parse), load_ms: median(load), load_ratio: median(load) / median(parse), evaluate: q.evaluate, decide: q.decide, memory_bytes: cc.diagnostics().memoryBytes });
  }
  return out;
}

// ---- 4. size --------------------------------------------------------------------------------

function sizes() {
  const html = readFileSync(path.join(root, 'dist/covercheck.html'));
  const pageScript = Buffer.from(/<script type="module">([\s\S]*?)<\/script>/.exec(html.toString())[1]);
  const files = {
    'dist/covercheck.html': html,
    'covercheck-core.wasm': readFileSync(path.join(root, 'dist/site/generated/covercheck-core.wasm')),
    'covercheck-core.mjs (Emscripten glue)': readFileSync(path.join(root, 'dist/site/generated/covercheck-core.mjs')),
    'covercheck.js (JS API)': readFileSync(path.join(root, 'dist/site/covercheck.js')),
    'page script (inlined, minified)': pageScript,
    'cover-check.js (embeddable element)': readFileSync(path.join(root, 'dist/site/cover-check.js')),
  };
  const out = {};
  for (const [name, bytes] of Object.entries(files)) {
    out[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
  }
  return out;
}

// ---- run ------------------------------------------------------------------------------------

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (wants('per-answer')) {
  const policy = JSON.parse(readFileSync(path.join(root, 'web/generated/policy-bundle.json'), 'utf8'));
  delete policy.digest;
  const small = await perAnswer('policy 633 (3 codes, 24 rule rows)', policy, mixOf(policy, 24, 8));
  const synthetic = generateCatalog({ policies: 100, codes: 10000 });
  const large = await perAnswer('synthetic catalog (10,000 codes, 80,000 rule rows)', synthetic, mixOf(synthetic, 90, 10));
  results.parts.per_answer = [small, large];
  md.push('## 1. Per answer', '', 'Per question, from passes over a fixed mix of questions (hits for every product and setting, and codes not in the data). Every engine is checked to give covercheck\'s answer on the whole mix before timing. Ratios are p50 against the engine named in the column header, measured in the same run.', '');
  for (const part of [small, large]) {
    md.push(`### ${part.label}: ${part.questions_in_mix} questions in the mix`, '', perAnswerTable(part), '');
    md.push(`First \`evaluate\` after load: ${fmt(part.first_evaluate_ms, 3)} ms.`, '');
    for (const note of Object.values(part.notes)) md.push(`Note: ${note}`, '');
  }
}
if (wants('cold-start')) {
  const cold = await coldStart(quick ? 5 : 15);
  results.parts.cold_start = cold;
  const file = cold['offline file (file://)'];
  const blankFile = cold['blank page (file://)'];
  const site = cold['hosted site (http)'];
  const blankHttp = cold['blank page (http)'];
  md.push('## 2. Cold start (Debian Chromium, headless)', '', 'From navigation start to the first frame painted after the answer for `#code=47371` is in the page, against a blank page loaded the same way in the same run (fresh browser context each time).', '',
    '| page | p50 ms | p99 ms | first render ms | − blank p50 ms |', '|---|---:|---:|---:|---:|',
    `| offline file (file://) | ${fmt(file.p50, 1)} | ${fmt(file.p99, 1)} | ${fmt(file.first_render_p50, 1)} | ${fmt(file.p50 - blankFile.p50, 1)} |`,
    `| blank page (file://) | ${fmt(blankFile.p50, 1)} | ${fmt(blankFile.p99, 1)} | | |`,
    `| hosted site (http) | ${fmt(site.p50, 1)} | ${fmt(site.p99, 1)} | ${fmt(site.first_render_p50, 1)} | ${fmt(site.p50 - blankHttp.p50, 1)} |`,
    `| blank page (http) | ${fmt(blankHttp.p50, 1)} | ${fmt(blankHttp.p99, 1)} | | |`, '');
}
if (wants('scale')) {
  const rows = await scale(quick ? [[1, 3], [100, 10000]] : [[1, 3], [100, 10000], [1000, 100000]]);
  results.parts.scale = rows;
  md.push('## 3. Scale (synthetic catalogs, node)', '', 'Load = `loadCoverCheck` with the bundle text (parse, validate, verify, index); compared with `JSON.parse` of the same bytes in the same run. Query times per question over a mix of 90 hits and 10 misses.', '',
    '| policies | codes | bundle | JSON.parse ms | load ms | load ÷ JSON.parse | evaluate p50 / p99 µs | decide p50 / p99 µs | wasm memory |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) md.push(`| ${r.policies} | ${r.codes} | ${kb(r.bundle_bytes)} | ${fmt(r.json_parse_ms)} | ${fmt(r.load_ms)} | ${fmt(r.load_ratio)} | ${fmt(r.evaluate.p50)} / ${fmt(r.evaluate.p99)} | ${fmt(r.decide.p50, 3)} / ${fmt(r.decide.p99, 3)} | ${kb(r.memory_bytes)} |`);
  md.push('', `Query p50 at ${rows.at(-1).codes} codes ÷ at 3 codes: evaluate ${fmt(rows.at(-1).evaluate.p50 / rows[0].evaluate.p50)}, decide ${fmt(rows.at(-1).decide.p50 / rows[0].decide.p50)}.`, '');
}
if (wants('size')) {
  const s = sizes();
  results.parts.size = s;
  md.push('## 4. Size', '', '| file | raw | gzip -9 | brotli 11 |', '|---|---:|---:|---:|');
  for (const [name, v] of Object.entries(s)) md.push(`| ${name} | ${kb(v.raw)} | ${kb(v.gzip)} | ${kb(v.brotli)} |`);
  md.push('');
}

const m = results.machine;
const header = [`Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.os}; node ${m.node}; ${m.chromium}. Run ${results.started}${quick ? ' (--quick)' : ''}.`, ''];
const table = [...header, ...md].join('\n');
await mkdir(path.join(root, 'tests/bench/results'), { recursive: true });
await writeFile(path.join(root, 'tests/bench/results/latest.json'), JSON.stringify(results, null, 2));
await writeFile(path.join(root, 'tests/bench/results/latest.md'), table);
console.log(table);
if (args.includes('--write')) {
  const file = path.join(root, 'BENCHMARKS.md');
  let doc = readFileSync(file, 'utf8');
  const start = doc.indexOf('<!-- bench:start -->');
  const end = doc.indexOf('<!-- bench:end -->');
  if (start < 0 || end < 0) throw new Error('BENCHMARKS.md lacks the bench:start/bench:end markers');
  doc = `${doc.slice(0, start)}<!-- bench:start -->\n${table}\n${doc.slice(end)}`;
  await writeFile(file, doc);
  console.error('bench: BENCHMARKS.md updated');
}
