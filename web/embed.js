// <cover-check code="47371" product="medicare-ppo-blue" setting="outpatient"></cover-check>
// The checker inside any page with one script tag: the module and the policy data travel in
// this one file, styles stay inside the element (shadow DOM), and nothing is fetched.
// Attributes: code (one or more, comma-separated), product, setting, date; `editable` adds a
// field to type another code.
import { inflateWasm, loadCoverCheck } from './covercheck.js';
import { h, replaceChildren } from './dom.js';
import { splitCodes } from './fragment.js';
import { policyBundle, wasmGzipBase64 } from './generated/embed-data.js';
import { authorizationWord, coverageWord, settingLabels } from './words.js';

const css = `
:host { display: block; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329;
  --stop: #8a1c1c; --stop-bg: #fde8e8; --warn: #6b3d00; --warn-bg: #fff4e0; --ok: #1b5e34; --ok-bg: #e5f4ea;
  --none: #38424d; --none-bg: #eceff3; --line: #d9dce0; }
.box { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fff; max-width: 48rem; }
h2 { font-size: 1.05rem; margin: 0 0 4px; }
.desc { color: #56606b; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
thead th { font-size: .85rem; color: #56606b; }
.badge { display: block; width: fit-content; border-radius: 4px; padding: 0 6px; margin: 0 0 3px; font-weight: 600; font-size: .85rem; }
.stop { color: var(--stop); background: var(--stop-bg); } .warn { color: var(--warn); background: var(--warn-bg); }
.ok { color: var(--ok); background: var(--ok-bg); } .none { color: var(--none); background: var(--none-bg); }
blockquote { margin: 6px 0; padding: 2px 10px; border-left: 3px solid var(--line); }
.small { font-size: .8rem; color: #56606b; }
.error { color: var(--stop); background: var(--stop-bg); padding: 6px 10px; border-radius: 4px; overflow-wrap: anywhere; }
form { display: flex; gap: 6px; margin: 0 0 10px; flex-wrap: wrap; }
input { font: inherit; padding: 4px 8px; } button { font: inherit; padding: 4px 12px; }
@media (max-width: 30rem) { table, tbody, tr, th, td { display: block; } thead { display: none; } }
@media (prefers-color-scheme: dark) { :host { color: #e6e8eb; } .box { background: #1d2227; } }
`;

let checker;
function coverCheck() {
  checker ??= inflateWasm(wasmGzipBase64).then((wasmBinary) => loadCoverCheck({ bundle: policyBundle, wasmBinary, requireDigest: true }));
  return checker;
}

const tone = { ok: 'ok', warn: 'warn', stop: 'stop', none: 'none' };
const badge = (word) => h('span', { class: `badge ${tone[word.tone]}` }, word.label);

class CoverCheckElement extends HTMLElement {
  static observedAttributes = ['code', 'product', 'setting', 'date'];

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(h('style', {}, css));
    }
    this.box = h('div', { class: 'box', attrs: { role: 'region', 'aria-live': 'polite', 'aria-label': 'Coverage check' } });
    root.append(this.box);
  }

  connectedCallback() { this.update(); }
  attributeChangedCallback() { if (this.isConnected) this.update(); }

  async update() {
    let cc;
    try {
      cc = await coverCheck();
    } catch (error) {
      replaceChildren(this.box, h('p', { class: 'error' }, `The policy data could not be loaded: ${error.message}`));
      return;
    }
    const label = (id) => cc.products().find((p) => p.id === id)?.label ?? id;
    const typed = String(this.getAttribute('code') ?? '');
    const codes = splitCodes(typed);
    const maxCodes = 50;
    const product = this.getAttribute('product') || undefined;
    const setting = this.getAttribute('setting') || undefined;
    const date = this.getAttribute('date') || undefined;
    const parts = [];
    if (this.hasAttribute('editable')) parts.push(this.editor(typed));
    if (codes.length > maxCodes) {
      parts.push(h('p', { class: 'error', attrs: { role: 'alert' } }, `${codes.length} codes were given; this element shows at most ${maxCodes}.`));
    }
    for (const code of codes.length > maxCodes ? [] : codes) {
      const products = product ? [product] : cc.products().map((p) => p.id);
      const settings = setting ? [setting] : cc.settings();
      const envelope = cc.matrixSafe({ codes: [code], products, settings, date });
      if (!envelope.success) {
        parts.push(h('p', { class: 'error', attrs: { role: 'alert' } }, envelope.error.message));
        continue;
      }
      const info = envelope.data.codes[0];
      // Each statement once, cited to its policy (a code may be in different policies per product).
      const statements = new Map();
      const policies = new Map();
      for (const p of products) for (const s of settings) {
        const r = cc.evaluate({ code: info.code, product: p, setting: s, date });
        if (r.policy) policies.set(r.policy.id, r.policy);
        for (const text of [r.coverage.statement, r.authorization.statement, r.coverage.reason, r.authorization.reason]) {
          if (text) statements.set(`${r.policy?.id ?? ''}|${text}`, { text, policy: r.policy });
        }
      }
      parts.push(
        h('h2', {}, info.code),
        h('p', { class: 'desc' }, info.description ?? 'Not in our data: no bundled policy lists this code. That is not the same as not covered.'),
        h('table', {},
          h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Product'), settings.map((s) => h('th', { attrs: { scope: 'col' } }, settingLabels[s] ?? s)))),
          h('tbody', {}, products.map((p) => h('tr', {},
            h('th', { attrs: { scope: 'row' } }, label(p)),
            settings.map((s) => {
              const c = envelope.data.cells.find((x) => x.product === p && x.setting === s);
              return h('td', { dataset: { product: p, setting: s, coverage: c.coverage, authorization: c.authorization } },
                badge(coverageWord(c.coverage)), c.coverage === 'not-in-data' ? null : badge(authorizationWord(c.authorization)));
            }))))),
        [...statements.values()].map((s) => h('blockquote', {}, s.text, s.policy && policies.size > 1 ? h('span', { class: 'small' }, ` (policy #${s.policy.number})`) : null)),
        [...policies.values()].map((p) => h('p', { class: 'small' }, `${p.publisher} Medical Policy #${p.number}, ${p.title}; last review ${p.last_review}.`)),
      );
    }
    parts.push(h('p', { class: 'small' }, `Informational only, not a guarantee of coverage. CPT © American Medical Association. Data version ${cc.version().data_version}.`));
    replaceChildren(this.box, parts);
  }

  editor(typed) {
    // The field keeps exactly what was typed.
    const input = h('input', { type: 'text', value: typed, attrs: { 'aria-label': 'Procedure code', autocomplete: 'off' } });
    return h('form', {
      onsubmit: (event) => {
        event.preventDefault();
        this.setAttribute('code', input.value);
      },
    }, input, h('button', { type: 'submit' }, 'Check'));
  }
}

if (!customElements.get('cover-check')) customElements.define('cover-check', CoverCheckElement);
