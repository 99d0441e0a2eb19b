// The covercheck page: reads the form or the URL fragment, asks the WebAssembly core, and
// shows the answer. Everything stays in the browser.
import { CoverCheckError, inflateWasm, loadCoverCheck } from './covercheck.js';
import { attachSuggestions } from './combobox.js';
import { h, replaceChildren } from './dom.js';
import { copyText, download, exportName, resultsToCsv } from './export.js';
import { readFragment, splitCodes, writeFragment } from './fragment.js';
import { renderCodeTable, renderIntro, renderMatrix, renderPolicy, renderSingle } from './views.js';
import { authorizationWord, coverageWord } from './words.js';

const maxCodes = 500;
const $ = (id) => document.getElementById(id);
const form = $('query');
const codeInput = $('code');
const productSelect = $('product');
const dateInput = $('date');
const answer = $('answer');
const toolbar = $('toolbar');
const formError = $('form-error');
const announceRegion = $('announce');

let cc;
let ctx;
// What is shown, for exports: `results()` gives every answer in full, computed when asked for
// (a matrix of 500 codes shows statuses; the full answers are made only for a download).
let current = { state: {}, codes: [], results: () => [] };

function announce(text) {
  // Cleared first so that the same words are announced again.
  announceRegion.textContent = '';
  setTimeout(() => { announceRegion.textContent = text; }, 50);
}

// ---- form <-> state -------------------------------------------------------------------------

function settingValue() {
  return form.querySelector('input[name=setting]:checked')?.value ?? '';
}

function formState() {
  // A list of codes is written into the link as "47371,47383" however it was typed.
  const value = codeInput.value.trim();
  const code = /^[\s\w,;]*$/.test(value) && !/[a-z]{3}/i.test(value) ? splitCodes(value).join(',') : value;
  return { code, product: productSelect.value, setting: settingValue(), date: dateInput.value };
}

function showState(state) {
  codeInput.value = state.code ?? '';
  // An unknown product from a link is kept as an option so the field shows what the link said.
  const product = state.product ?? '';
  productSelect.querySelectorAll('option[data-unknown]').forEach((o) => o.remove());
  if (product && ![...productSelect.options].some((o) => o.value === product)) {
    productSelect.append(h('option', { value: product, dataset: { unknown: 'true' } }, `${product} (unknown)`));
  }
  productSelect.value = product;
  const setting = [...form.querySelectorAll('input[name=setting]')].find((r) => r.value === (state.setting ?? ''));
  (setting ?? form.querySelector('input[name=setting][value=""]')).checked = true;
  dateInput.value = /^\d{4}-\d{2}-\d{2}$/.test(state.date ?? '') ? state.date : '';
}

function clearErrors() {
  formError.hidden = true;
  formError.textContent = '';
  for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
}

function fieldFor(path) {
  if (/^\/codes?\b/.test(path)) return codeInput;
  if (/^\/products?\b/.test(path)) return productSelect;
  if (/^\/date\b/.test(path)) return dateInput;
  if (/^\/settings?\b/.test(path)) return form.querySelector('input[name=setting]');
  return null;
}

function showError(error, prefix = '') {
  formError.hidden = false;
  formError.textContent = prefix + error.message;
  fieldFor(error.path ?? '')?.setAttribute('aria-invalid', 'true');
}

// ---- toolbar: share, print, export ----------------------------------------------------------

function copyButton(label, text) {
  return h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => announce((await copyText(text())) ? 'Copied.' : 'Could not copy; select the text instead.'),
  }, label);
}

function showToolbar(kind) {
  if (!kind) {
    toolbar.hidden = true;
    return;
  }
  const json = () => JSON.stringify({ generated_by: 'covercheck', link: location.href, results: current.results() }, null, 2);
  replaceChildren(
    toolbar,
    copyButton('Copy link', () => location.href),
    h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, 'Print'),
    current.codes.length
      ? [
          h('button', { type: 'button', class: 'secondary', onclick: () => download(exportName(current.codes, 'csv'), resultsToCsv(current.results()), 'text/csv;charset=utf-8') }, 'Download CSV'),
          h('button', { type: 'button', class: 'secondary', onclick: () => download(exportName(current.codes, 'json'), json(), 'application/json') }, 'Download JSON'),
        ]
      : null,
  );
  toolbar.hidden = false;
}

function updatePrintLine() {
  const now = new Date();
  $('print-meta').textContent = `Printed ${now.toLocaleString('en-US', { dateStyle: 'long', timeStyle: 'short' })} · data version ${cc.version().data_version} · ${location.href}`;
}

// ---- answering ------------------------------------------------------------------------------

function productLabel(id) {
  return cc.products().find((p) => p.id === id)?.label ?? id;
}

const policyDocuments = new Map();
function policyDocument(id) {
  if (!policyDocuments.has(id)) {
    const envelope = (() => { try { return { success: true, data: cc.policy(id) }; } catch { return { success: false }; } })();
    policyDocuments.set(id, envelope.success ? envelope.data.policy : null);
  }
  return policyDocuments.get(id);
}

function everyCell(codes, products, settings, date) {
  const results = [];
  for (const code of codes) for (const product of products) for (const setting of settings) results.push(cc.evaluate({ code, product, setting, date }));
  return results;
}

// Asks for a matrix, dropping entries that are not codes (each reported) instead of failing all.
function matrixSkippingInvalid(codes, products, settings, date) {
  const invalid = [];
  let remaining = [...codes];
  for (;;) {
    if (!remaining.length) return { invalid, data: null };
    const envelope = cc.matrixSafe({ codes: remaining, products, settings, date });
    if (envelope.success) return { invalid, data: envelope.data };
    const match = /^\/codes\/(\d+)$/.exec(envelope.error.path);
    if (!match) return { invalid, error: envelope.error };
    invalid.push(envelope.error);
    remaining = remaining.filter((_, i) => i !== Number(match[1]));
  }
}

function render(state) {
  clearErrors();
  answer.setAttribute('aria-busy', 'true');
  current = { state, codes: [], results: () => [] };
  try {
    if (state.policy) return renderPolicyView(state.policy);
    const codes = splitCodes(state.code);
    if (!codes.length) {
      replaceChildren(answer, renderIntro(ctx));
      showToolbar(null);
      if (state.product || state.setting || state.date) showError({ message: 'Enter a procedure code, such as 47371.', path: '/code' });
      return;
    }
    if (codes.length > maxCodes) {
      showError({ message: `${codes.length.toLocaleString('en-US')} entries were given; at most ${maxCodes} codes can be checked at once. Remove some and check again.`, path: '/codes' });
      replaceChildren(answer);
      showToolbar(null);
      return;
    }
    const date = state.date || undefined;
    const products = state.product ? [state.product] : cc.products().map((p) => p.id);
    const settings = state.setting ? [state.setting] : cc.settings();
    if (codes.length === 1 && state.product && state.setting) {
      const envelope = cc.evaluateSafe({ code: codes[0], product: state.product, setting: state.setting, date });
      if (!envelope.success) return failed(envelope.error);
      const r = envelope.data;
      current = { state, codes: [r.query.code], results: () => [r] };
      replaceChildren(answer, renderSingle(ctx, r));
      showToolbar('single');
      announce(`${r.code.code}, ${productLabel(r.query.product)}, ${r.query.setting}: ${coverageWord(r.coverage.status).label}. ${authorizationWord(r.authorization.status).label}.`);
      return;
    }
    const { invalid, data, error } = matrixSkippingInvalid(codes, products, settings, date);
    if (error) return failed(error);
    if (invalid.length && data) {
      showError({ message: `${invalid.length} entr${invalid.length === 1 ? 'y is' : 'ies are'} not a code: see the list with the answers below.`, path: '/codes' });
    } else if (invalid.length) {
      showError({ message: invalid.map((e) => e.message).join('\n'), path: '/codes' }, invalid.length === 1 ? '' : `${invalid.length} entries are not codes:\n`);
    }
    if (!data) {
      replaceChildren(answer);
      showToolbar(null);
      return;
    }
    const valid = data.query.codes;
    let full = null;
    current = { state, codes: valid, results: () => (full ??= everyCell(valid, products, settings, date)) };
    if (valid.length === 1) {
      replaceChildren(answer, renderCodeTable(ctx, current.results(), products, settings));
    } else {
      const onFilter = (filter) => {
        history.replaceState(null, '', writeFragment({ ...state, filter: filter === 'all' ? '' : filter }));
        render(readFragment(location.hash));
        $('matrix-filter')?.focus();
      };
      replaceChildren(answer, renderMatrix(ctx, data, invalid, state.filter ?? 'all', onFilter));
    }
    showToolbar('answer');
    announce(`Answered ${valid.length} code${valid.length === 1 ? '' : 's'}${invalid.length ? `; ${invalid.length} could not be read` : ''}.`);
  } catch (error) {
    failed(error instanceof CoverCheckError ? error : { message: `Something went wrong: ${error.message}`, path: '' });
  } finally {
    answer.setAttribute('aria-busy', 'false');
    updatePrintLine();
  }
}

function failed(error) {
  showError(error);
  replaceChildren(answer);
  showToolbar(null);
}

function renderPolicyView(id) {
  const envelope = (() => { try { return { success: true, data: cc.policy(id) }; } catch (e) { return { success: false, error: e }; } })();
  if (!envelope.success) {
    replaceChildren(answer, h('p', { class: 'form-error', attrs: { role: 'alert' } }, envelope.error.message));
    showToolbar(null);
    return;
  }
  const { policy, summary, data_version: version } = envelope.data;
  replaceChildren(answer, renderPolicy(ctx, policy, summary, version));
  showToolbar('policy');
  announce(`Policy ${policy.number}: ${policy.title}.`);
}

function applyFragment() {
  const state = readFragment(location.hash);
  showState(state);
  render(state);
}

function fatal(error) {
  form.querySelectorAll('input, select, button').forEach((el) => { el.disabled = true; });
  replaceChildren(
    answer,
    h('div', { class: 'fatal', attrs: { role: 'alert' } },
      h('h2', {}, 'The policy data could not be loaded'),
      h('p', {}, 'No answers are shown, because they could be wrong. Reason: ', error.message, error.code ? ` (${error.code})` : '')),
  );
}

// Pasted lists keep their line breaks as separators (a text field would run them together).
function onPaste(event) {
  const text = event.clipboardData?.getData('text/plain');
  if (!text || !/[\r\n]/.test(text)) return;
  event.preventDefault();
  const joined = text.split(/\s*[\r\n]+\s*/).filter(Boolean).join(', ');
  const { selectionStart: start, selectionEnd: end, value } = codeInput;
  codeInput.value = value.slice(0, start) + joined + value.slice(end);
  codeInput.setSelectionRange(start + joined.length, start + joined.length);
  codeInput.dispatchEvent(new Event('input', { bubbles: true }));
}

async function boot() {
  const bundle = $('covercheck-bundle')?.textContent;
  const wasm = $('covercheck-wasm')?.textContent;
  try {
    // The page's data is a built bundle: it must carry its digest, and match it.
    cc = await loadCoverCheck(bundle && wasm ? { bundle, wasmBinary: await inflateWasm(wasm), requireDigest: true } : {});
  } catch (error) {
    fatal(error);
    return;
  }
  const version = cc.version();
  const byNumber = new Map(version.policies.map((p) => [p.number, p]));
  ctx = {
    cc,
    productLabel,
    policyDocument,
    policyByNumber: (number) => byNumber.get(number),
    copyButton,
    get wide() { return window.matchMedia('(min-width: 60rem)').matches; },
  };
  $('data-version').textContent = version.data_version;
  for (const p of cc.products()) productSelect.append(h('option', { value: p.id }, p.label));
  if (location.protocol === 'file:') {
    $('offline-note').hidden = false;
    $('save-offline').hidden = true;
  }
  // Suggestions are a convenience: text they cannot search (a long paste, say) shows none.
  const suggest = (text) => {
    try {
      return cc.search(text, { limit: 8 });
    } catch {
      return [];
    }
  };
  attachSuggestions(codeInput, $('code-options'), announce, suggest);
  codeInput.addEventListener('paste', onPaste);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // A date the browser could not read leaves the field's value empty: say so, do not guess.
    if (dateInput.validity.badInput) {
      clearErrors();
      showError({ message: 'The date of service is not a complete date; enter it as month, day and year, or clear it.', path: '/date' });
      return;
    }
    const hash = writeFragment(formState());
    if (hash === location.hash) render(readFragment(hash));
    else location.hash = hash;
  });
  window.addEventListener('hashchange', applyFragment);
  // Printing shows every disclosure's contents; they are closed again afterwards.
  let opened = [];
  window.addEventListener('beforeprint', () => {
    updatePrintLine();
    opened = [...answer.querySelectorAll('details:not([open])')];
    opened.forEach((d) => { d.open = true; });
  });
  window.addEventListener('afterprint', () => { opened.forEach((d) => { d.open = false; }); opened = []; });
  performance.mark('covercheck:loaded');
  applyFragment();
  performance.measure('covercheck:first-render', 'covercheck:loaded');
  document.documentElement.dataset.ready = 'true';
  // For the cold-start benchmark: the first frame with the answer in it.
  requestAnimationFrame(() => performance.mark('covercheck:answer-painted'));
}

boot();
