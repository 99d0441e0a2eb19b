// The covercheck page: reads the form or the URL fragment, asks the WebAssembly core, and shows
// the answer in plain words with the policy's own sentences. Everything stays in the browser.
import { CoverCheckError, loadCoverCheck } from './covercheck.js';
import { attachSuggestions } from './combobox.js';
import { h, replaceChildren } from './dom.js';
import { readFragment, splitCodes, writeFragment } from './fragment.js';
import { authorizationWord, coverageWord, settingLabels } from './words.js';

const maxCodes = 500;
const $ = (id) => document.getElementById(id);
const form = $('query');
const codeInput = $('code');
const productSelect = $('product');
const dateInput = $('date');
const answer = $('answer');
const formError = $('form-error');
const announceRegion = $('announce');

let cc;
let policiesInData = new Set();
const policyDocuments = new Map();

function announce(text) {
  // Clear first so the same words are announced again.
  announceRegion.textContent = '';
  setTimeout(() => { announceRegion.textContent = text; }, 50);
}

function decodeBase64(text) {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---- form <-> state -------------------------------------------------------------------------

function settingValue() {
  return form.querySelector('input[name=setting]:checked')?.value ?? '';
}

function formState() {
  return {
    code: codeInput.value.trim(),
    product: productSelect.value,
    setting: settingValue(),
    date: dateInput.value,
  };
}

function showState(state) {
  codeInput.value = state.code ?? '';
  // An unknown product from a link is kept as an option so the field shows what the link said.
  const product = state.product ?? '';
  if (product && ![...productSelect.options].some((o) => o.value === product)) {
    productSelect.append(h('option', { value: product, dataset: { unknown: 'true' } }, `${product} (unknown)`));
  }
  productSelect.value = product;
  const setting = form.querySelector(`input[name=setting][value="${CSS.escape(state.setting ?? '')}"]`);
  if (setting) setting.checked = true;
  else form.querySelector('input[name=setting][value=""]').checked = true;
  dateInput.value = state.date ?? '';
}

function clearErrors() {
  formError.hidden = true;
  formError.textContent = '';
  for (const field of [codeInput, productSelect, dateInput, ...form.querySelectorAll('input[name=setting]')]) {
    field.removeAttribute('aria-invalid');
  }
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
  const field = fieldFor(error.path ?? '');
  if (field) field.setAttribute('aria-invalid', 'true');
}

// ---- answers --------------------------------------------------------------------------------

function productLabel(id) {
  return cc.products().find((p) => p.id === id)?.label ?? id;
}

function policyDocument(id) {
  if (!policyDocuments.has(id)) {
    try {
      policyDocuments.set(id, cc.policy(id).policy);
    } catch {
      policyDocuments.set(id, null);
    }
  }
  return policyDocuments.get(id);
}

function badge(word, extra = '') {
  return h('span', { class: `badge tone-${word.tone}` }, word.label + extra);
}

function codeTitle(code) {
  return h(
    'h2',
    { class: 'result-title' },
    h('span', { class: 'code' }, code.code),
    code.description ? h('span', { class: 'description' }, code.description) : null,
    code.system ? h('span', { class: 'badge tone-none' }, code.system) : null,
  );
}

function sourceLine(policy, section, extra) {
  const parts = [`Policy ${policy.number}`];
  if (section) parts.push(section.replace(/ > /g, ' › '));
  if (extra) parts.push(extra);
  return h('p', { class: 'source' }, parts.join(', '));
}

function coverageBlock(result) {
  const word = coverageWord(result.coverage.status);
  return h(
    'section',
    { class: `verdict tone-${word.tone}`, dataset: { part: 'coverage' } },
    h('h3', {}, 'Coverage'),
    h('p', { class: 'status' }, word.label),
    h('p', {}, word.plain),
    result.coverage.statement ? h('blockquote', {}, result.coverage.statement) : null,
    result.coverage.statement ? sourceLine(result.policy, result.coverage.section) : null,
    result.coverage.reason ? h('p', { class: 'reason' }, result.coverage.reason) : null,
  );
}

function authorizationBlock(result) {
  const { authorization } = result;
  const word = authorizationWord(authorization.status);
  return h(
    'section',
    { class: `verdict tone-${word.tone}`, dataset: { part: 'authorization' } },
    h('h3', {}, `Prior authorization · ${settingLabels[authorization.setting] ?? authorization.setting}`),
    h('p', { class: 'status' }, word.label),
    h('p', {}, word.plain(authorization.setting)),
    authorization.statement ? h('blockquote', {}, authorization.statement) : null,
    authorization.statement
      ? sourceLine(result.policy, authorization.section, authorization.printed_product)
      : null,
    authorization.reason && authorization.reason !== result.coverage.reason
      ? h('p', { class: 'reason' }, authorization.reason)
      : null,
  );
}

function policyBlock(policy, notices) {
  const related = policy.related_policies ?? [];
  const doc = policyDocument(policy.id);
  const pointers = doc?.general_information ?? [];
  return h(
    'div',
    { class: 'policy' },
    h('h3', {}, 'Which policy says so'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Policy'),
      h('dd', {}, `${policy.publisher} Medical Policy #${policy.number}: ${policy.title}`),
      policy.bcbsa_reference ? [h('dt', {}, 'BCBSA reference'), h('dd', {}, policy.bcbsa_reference)] : null,
      policy.ncd_lcd ? [h('dt', {}, 'NCD/LCD'), h('dd', {}, policy.ncd_lcd)] : null,
      h('dt', {}, 'Last review'),
      h('dd', {}, monthName(policy.last_review)),
      h('dt', {}, 'Applies to'),
      h('dd', {}, `Dates of service from ${policy.effective_from}${policy.effective_to ? ` to ${policy.effective_to}` : ''}`),
    ),
    related.length
      ? h(
          'details',
          {},
          h('summary', {}, `Related policies (${related.length})`),
          h(
            'ul',
            {},
            related.map((r) =>
              h('li', {}, `#${r.number} ${r.title}`, policiesInData.has(r.number) ? '' : h('span', { class: 'hint' }, ' — not included in this checker')),
            ),
          ),
        )
      : null,
    h('h3', {}, 'What you can do'),
    h(
      'p',
      {},
      'Talk to your provider or call the plan. ',
      pointers.length ? `The policy points to: ${pointers.join('; ')}.` : '',
    ),
    notices?.length
      ? h('div', { class: 'notices' }, h('h3', {}, 'From the policy'), h('ul', {}, notices.map((n) => h('li', {}, n))))
      : null,
  );
}

function monthName(yearMonth) {
  const [year, month] = String(yearMonth).split('-').map(Number);
  if (!year || !month) return String(yearMonth);
  return `${new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${year}`;
}

function versionLine(version) {
  return h('p', { class: 'source' }, `Answer from data version ${version}.`);
}

function renderSingle(result) {
  const { query } = result;
  const context = [productLabel(query.product), settingLabels[query.setting]];
  if (query.date) context.push(`date of service ${query.date}`);
  return h(
    'article',
    {
      class: 'result',
      dataset: {
        code: query.code, product: query.product, setting: query.setting,
        coverage: result.coverage.status, authorization: result.authorization.status,
      },
    },
    codeTitle(result.code),
    h('p', { class: 'context' }, context.join(' · ')),
    h('div', { class: 'verdicts' }, coverageBlock(result), authorizationBlock(result)),
    result.coverage.code_statement
      ? h('p', { class: 'source' }, `The policy lists ${result.code.code} under: “${result.coverage.code_statement}”`)
      : null,
    result.policy ? policyBlock(result.policy, result.notices) : null,
    versionLine(result.data_version),
  );
}

function uniqueStatements(results, pick) {
  const seen = new Map();
  for (const r of results) {
    const item = pick(r);
    if (!item?.statement) continue;
    const key = `${item.setting ?? ''}|${item.statement}`;
    if (!seen.has(key)) seen.set(key, { ...item, products: [] });
    const label = productLabel(r.query.product);
    if (!seen.get(key).products.includes(label)) seen.get(key).products.push(label);
  }
  return [...seen.values()];
}

function renderCodeTable(results, products, settings) {
  const first = results[0];
  const cell = (product, setting) => results.find((r) => r.query.product === product && r.query.setting === setting);
  const reasons = [...new Set(results.flatMap((r) => [r.coverage.reason, r.authorization.reason]).filter(Boolean))];
  const coverageStatements = uniqueStatements(results, (r) => r.coverage);
  const authorizationStatements = uniqueStatements(results, (r) => r.authorization);
  const statuses = new Set(results.map((r) => r.coverage.status));
  return h(
    'article',
    { class: 'result', dataset: { code: first.query.code } },
    codeTitle(first.code),
    first.query.date ? h('p', { class: 'context' }, `Date of service ${first.query.date}`) : null,
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, `Coverage and prior authorization for ${first.query.code}, by product and setting`),
        h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Product'), settings.map((s) => h('th', { attrs: { scope: 'col' } }, settingLabels[s])))),
        h(
          'tbody',
          {},
          products.map((p) =>
            h(
              'tr',
              {},
              h('th', { attrs: { scope: 'row' } }, productLabel(p)),
              settings.map((s) => {
                const r = cell(p, s);
                return h(
                  'td',
                  { dataset: { code: r.query.code, product: p, setting: s, coverage: r.coverage.status, authorization: r.authorization.status, label: settingLabels[s] } },
                  badge(coverageWord(r.coverage.status)),
                  badge(authorizationWord(r.authorization.status)),
                );
              }),
            ),
          ),
        ),
      ),
    ),
    [...statuses].map((status) => h('p', {}, h('strong', {}, `${coverageWord(status).label}: `), coverageWord(status).plain)),
    reasons.map((reason) => h('p', { class: 'reason' }, reason)),
    coverageStatements.length || authorizationStatements.length
      ? h(
          'div',
          { class: 'statements' },
          h('h3', {}, 'What the policy says'),
          coverageStatements.map((s) => [h('blockquote', {}, s.statement), sourceLine(first.policy, s.section, forProducts(s.products))]),
          authorizationStatements.map((s) => [
            h('blockquote', {}, s.statement),
            sourceLine(first.policy, s.section, forProducts(s.products)),
          ]),
        )
      : null,
    first.coverage.code_statement
      ? h('p', { class: 'source' }, `The policy lists ${first.code.code} under: “${first.coverage.code_statement}”`)
      : null,
    first.policy ? policyBlock(first.policy, first.notices) : null,
    versionLine(first.data_version),
  );
}

function forProducts(labels) {
  return labels.length === cc.products().length ? 'all products' : labels.join('; ');
}

function renderIntro() {
  const examples = ['47371', '47381', '47383'];
  return h(
    'div',
    { class: 'result intro' },
    h('h2', {}, 'Try a code'),
    h('p', {}, 'This checker holds ', h('strong', {}, `${cc.version().policies.length} medical polic${cc.version().policies.length === 1 ? 'y' : 'ies'}`), ':'),
    h('ul', {}, cc.version().policies.map((p) => h('li', {}, `#${p.number} ${p.title} (last reviewed ${monthName(p.last_review)})`))),
    h('p', {}, 'Examples: ', examples.map((code, i) => [i ? ', ' : '', h('a', { href: `#code=${code}` }, code)])),
  );
}

// Answers the state: one code, product and setting gives one answer; anything broader gives a
// products × settings table per code.
function render(state) {
  clearErrors();
  answer.setAttribute('aria-busy', 'true');
  try {
    const codes = splitCodes(state.code);
    if (!codes.length) {
      replaceChildren(answer, renderIntro());
      if (state.product || state.setting || state.date) showError({ message: 'Enter a procedure code, such as 47371.', path: '/code' });
      return;
    }
    if (codes.length > maxCodes) {
      showError({ message: `${codes.length} codes were given; at most ${maxCodes} can be checked at once.`, path: '/codes' });
      replaceChildren(answer);
      return;
    }
    const date = state.date || undefined;
    if (codes.length === 1 && state.product && state.setting) {
      const envelope = cc.evaluateSafe({ code: codes[0], product: state.product, setting: state.setting, date });
      if (!envelope.success) {
        showError(envelope.error);
        replaceChildren(answer);
        return;
      }
      replaceChildren(answer, renderSingle(envelope.data));
      const r = envelope.data;
      announce(`${r.code.code}, ${productLabel(r.query.product)}, ${r.query.setting}: ${coverageWord(r.coverage.status).label}. ${authorizationWord(r.authorization.status).label}.`);
      return;
    }
    const products = state.product ? [state.product] : cc.products().map((p) => p.id);
    const settings = state.setting ? [state.setting] : cc.settings();
    const blocks = [];
    const errors = [];
    for (const code of [...new Set(codes)]) {
      // One request per code, so a malformed code is reported without hiding the others.
      const envelope = cc.matrixSafe({ codes: [code], products, settings, date });
      if (!envelope.success) {
        if (/^\/codes\/\d+$/.test(envelope.error.path)) {
          errors.push(envelope.error);
          continue;
        }
        showError(envelope.error);
        replaceChildren(answer);
        return;
      }
      const canonical = envelope.data.query.codes[0];
      const results = [];
      for (const p of products) for (const s of settings) results.push(cc.evaluate({ code: canonical, product: p, setting: s, date }));
      blocks.push(renderCodeTable(results, products, settings));
    }
    if (errors.length) {
      showError({ message: errors.map((e) => e.message).join('\n'), path: '/codes' }, errors.length === 1 ? '' : `${errors.length} entries are not codes:\n`);
    }
    replaceChildren(answer, blocks);
    announce(`Answered ${blocks.length} code${blocks.length === 1 ? '' : 's'}${errors.length ? `; ${errors.length} could not be read` : ''}.`);
  } catch (error) {
    showError(error instanceof CoverCheckError ? error : { message: `Something went wrong: ${error.message}`, path: '' });
  } finally {
    answer.setAttribute('aria-busy', 'false');
  }
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
    h(
      'div',
      { class: 'fatal', attrs: { role: 'alert' } },
      h('h2', {}, 'The policy data could not be loaded'),
      h('p', {}, 'No answers are shown, because they could be wrong. Reason: ', error.message, error.code ? ` (${error.code})` : ''),
    ),
  );
}

async function boot() {
  const bundle = $('covercheck-bundle')?.textContent;
  const wasm = $('covercheck-wasm')?.textContent;
  try {
    // The page's data is a built bundle: it must carry its digest, and match it.
    cc = await loadCoverCheck(bundle && wasm ? { bundle, wasmBinary: decodeBase64(wasm), requireDigest: true } : {});
  } catch (error) {
    fatal(error);
    return;
  }
  const version = cc.version();
  policiesInData = new Set(version.policies.map((p) => p.number));
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
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const state = formState();
    const hash = writeFragment(state);
    if (hash === location.hash || (hash === '' && location.hash === '')) render(state);
    else location.hash = hash;
  });
  window.addEventListener('hashchange', applyFragment);
  applyFragment();
  document.documentElement.dataset.ready = 'true';
}

boot();
