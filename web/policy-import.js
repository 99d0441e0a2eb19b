// "Check a policy document": a pasted or opened policy text is read by the importer in the
// WebAssembly module, its facts are shown with the lines they came from and the report of what
// could not be read, and codes can be checked against it. Nothing leaves the page; the document
// is held only in this page's memory. All text goes in as text nodes (dom.js), never as HTML.
import { h, replaceChildren } from './dom.js';
import { authorizationWord, coverageWord, settingLabels } from './words.js';

const maxBytes = 32 * 1024 * 1024;  // the importer reads at most this much
const severityWords = {
  error: { label: 'Not a policy document', tone: 'stop' },
  review: { label: 'Needs review', tone: 'warn' },
  note: { label: 'Note', tone: 'none' },
};

function linesText(lines) {
  if (!lines) return '';
  return lines[0] === lines[1] ? `line ${lines[0]}` : `lines ${lines[0]}–${lines[1]}`;
}

function where(sources, pointer, item) {
  const source = sources?.[pointer];
  const lines = source?.lines ?? (item?.line ? (item.lines ?? [item.line, item.line]) : null);
  return [linesText(lines), source?.section].filter(Boolean).join(' · ');
}

function sourceNote(text) {
  return text ? h('span', { class: 'source' }, ` (${text})`) : null;
}

/**
 * Mounts the importer into `section` (an empty <section id="import">), using the loaded checker
 * `cc` (web/covercheck.js) for importPolicy and withPolicies.
 */
export function mountPolicyImport(section, cc) {
  const products = cc.products();
  const labelOf = (id) => products.find((p) => p.id === id)?.label ?? id;
  let current = null;  // {data, checker | null, problem}
  let generation = 0;  // a newer document wins over a slower older one

  const text = h('textarea', { id: 'import-text', name: 'import-text', rows: 8, spellcheck: false,
    attrs: { 'aria-describedby': 'import-hint', autocomplete: 'off' } });
  const file = h('input', { id: 'import-file', type: 'file', accept: '.txt,text/plain' });
  const error = h('p', { id: 'import-error', class: 'form-error', attrs: { role: 'alert' }, hidden: true });
  const result = h('div', { id: 'import-result', attrs: { 'aria-live': 'polite' } });
  const form = h(
    'form',
    { id: 'import-form', class: 'query import-form', attrs: { novalidate: '' } },
    h('div', { class: 'field field-code' },
      h('label', { htmlFor: 'import-text' }, 'Policy document text'),
      text,
      h('p', { id: 'import-hint', class: 'hint' },
        'Paste the whole text of a medical policy, as copied from the plan\'s web page or a PDF.')),
    h('div', { class: 'field' }, h('label', { htmlFor: 'import-file' }, 'Or open a text file (.txt)'), file),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'import-read' }, 'Read the policy')),
    error,
  );
  replaceChildren(
    section,
    h('h2', { id: 'import-title' }, 'Check a policy document'),
    h('p', { class: 'lede' }, 'Read a medical policy that is not in this checker: covercheck extracts what it says about ',
      'codes, products and prior authorization, shows where each fact is in the text and what it could not read, ',
      'and answers your questions from it. The document is read here, in your browser. Nothing is uploaded, and it ',
      'is forgotten when you leave this page.'),
    form,
    result,
  );
  section.setAttribute('aria-labelledby', 'import-title');
  section.hidden = false;

  function showError(message) {
    error.hidden = !message;
    error.textContent = message ?? '';
  }

  async function read(documentText, sourceName) {
    showError('');
    if (!documentText.trim()) {
      showError('Paste the text of a policy, or open a .txt file.');
      text.setAttribute('aria-invalid', 'true');
      return;
    }
    text.removeAttribute('aria-invalid');
    const mine = ++generation;
    result.setAttribute('aria-busy', 'true');
    try {
      const envelope = cc.importPolicySafe(documentText, sourceName ? { sourceFile: sourceName } : {});
      if (!envelope.success) {
        showError(envelope.error.message);
        replaceChildren(result);
        return;
      }
      const data = envelope.data;
      let checker = null;
      let problem = '';
      if (!data.report.some((f) => f.severity === 'error' || f.code === 'import.not_loadable')) {
        try {
          checker = await cc.withPolicies([data.policy]);
        } catch (failure) {
          problem = failure.message;
        }
      } else {
        problem = (data.report.find((f) => f.severity === 'error' || f.code === 'import.not_loadable') ?? {}).message ?? '';
      }
      if (mine !== generation) return;
      current = { data, checker, problem };
      replaceChildren(result, renderImport(data, checker, problem));
    } finally {
      if (mine === generation) result.setAttribute('aria-busy', 'false');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    read(text.value, '');
  });

  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    if (chosen.size > maxBytes) {
      showError(`${chosen.name} is ${Math.round(chosen.size / 1048576)} MB; at most 32 MB can be read.`);
      return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      text.value = String(reader.result ?? '');
      read(text.value, chosen.name);
    });
    reader.addEventListener('error', () => showError(`${chosen.name} could not be read.`));
    reader.readAsText(chosen);
  });

  // ---- rendering ------------------------------------------------------------------------------

  function renderImport(data, checker, problem) {
    const { policy, report, sources, complete } = data;
    const refused = report.some((f) => f.severity === 'error');
    const reviews = report.filter((f) => f.severity !== 'note');
    const status = refused ? severityWords.error : complete ? { label: 'Complete', tone: 'ok' } : severityWords.review;
    return h(
      'article',
      { class: 'result import-result', dataset: { complete: String(complete), findings: String(reviews.length) } },
      h('h3', { class: 'result-title' },
        policy.number ? h('span', { class: 'code' }, `Policy ${policy.number}`) : null,
        h('span', {}, policy.title ?? 'Untitled document')),
      h('p', {}, h('span', { class: `badge tone-${status.tone}`, id: 'import-status' }, status.label), ' ',
        refused ? 'This text could not be read as a medical policy.'
          : complete ? 'Every fact covercheck looks for was read. Still check the answers against the document.'
            : `${reviews.length} finding${reviews.length === 1 ? '' : 's'} below need${reviews.length === 1 ? 's' : ''} a person to check the document.`),
      refused ? null : factsBlock(policy, sources),
      reportBlock(report),
      refused ? null : queryBlock(policy, checker, problem),
      refused ? null : statementsBlock(policy, sources),
      refused ? null : codesBlock(policy, sources),
    );
  }

  function factsBlock(policy, sources) {
    const fact = (label, value, pointer) => (value
      ? [h('dt', {}, label), h('dd', {}, String(value), sourceNote(where(sources, pointer)))]
      : null);
    return h(
      'dl',
      { class: 'facts', id: 'import-facts' },
      fact('Publisher', policy.publisher, '/publisher'),
      fact('Policy number', policy.number, '/number'),
      fact('Title', policy.title, '/title'),
      fact('BCBSA reference', policy.bcbsa_reference, '/bcbsa_reference'),
      fact('NCD/LCD', policy.ncd_lcd, '/ncd_lcd'),
      fact('Last review', policy.last_review, '/last_review'),
      fact('Products', (policy.products ?? []).map(labelOf).join('; '), '/products_heading'),
      fact('References', policy.references_count, '/references_count'),
    );
  }

  function reportBlock(report) {
    const important = report.filter((f) => f.severity !== 'note');
    const notes = report.filter((f) => f.severity === 'note');
    const item = (f) => h(
      'li',
      { dataset: { code: f.code, severity: f.severity } },
      h('span', { class: `badge tone-${severityWords[f.severity]?.tone ?? 'none'}` }, severityWords[f.severity]?.label ?? f.severity),
      ' ', f.message,
      h('span', { class: 'source' }, ` — ${[linesText(f.lines), f.section, f.code].filter(Boolean).join(' · ')}`),
    );
    return h(
      'div',
      { id: 'import-report' },
      h('h4', {}, 'What could not be read'),
      important.length ? h('ul', { class: 'findings' }, important.map(item)) : h('p', {}, 'Nothing: no finding needs review.'),
      notes.length ? h('details', {}, h('summary', {}, `Notes (${notes.length})`), h('ul', { class: 'findings' }, notes.map(item))) : null,
    );
  }

  function statementsBlock(policy, sources) {
    const coverage = policy.coverage ?? [];
    const authorization = policy.authorization ?? [];
    const notes = policy.authorization_notes ?? [];
    return h(
      'div',
      { id: 'import-statements' },
      h('h4', {}, 'What the policy says'),
      coverage.length ? null : h('p', {}, 'No coverage statement was read.'),
      coverage.map((c, i) => h(
        'div',
        { class: 'statement' },
        h('span', { class: `badge tone-${coverageWord(c.status).tone}` }, coverageWord(c.status).label),
        ' for ', c.products.map(labelOf).join('; '),
        h('blockquote', {}, c.statement),
        c.criteria?.length ? h('ul', {}, c.criteria.map((k) => h('li', {}, k.text))) : null,
        h('p', { class: 'source' }, where(sources, `/coverage/${i}`, c)),
      )),
      authorization.length || notes.length ? h('h4', {}, 'Prior authorization') : null,
      notes.map((n, i) => h('p', {}, `${settingLabels[n.setting] ?? n.setting}: “${n.text}”`,
        sourceNote(where(sources, `/authorization_notes/${i}`, n)))),
      authorization.length
        ? h('div', { class: 'table-scroll' }, h(
          'table',
          { id: 'import-authorization' },
          h('caption', { class: 'visually-hidden' }, 'Prior authorization by setting and product, as the policy states it'),
          h('thead', {}, h('tr', {}, ['Setting', 'Products', 'Status', 'The policy says', 'Where'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
          h('tbody', {}, authorization.map((a, i) => h(
            'tr',
            {},
            h('th', { attrs: { scope: 'row' } }, settingLabels[a.setting] ?? a.setting),
            h('td', { dataset: { label: 'Products' } }, (a.printed_product ? [a.printed_product] : a.products.map(labelOf)).join('; ')),
            h('td', { dataset: { label: 'Status' } }, h('span', { class: `badge tone-${authorizationWord(a.status).tone}` }, authorizationWord(a.status).label)),
            h('td', { dataset: { label: 'The policy says' } }, a.statement),
            h('td', { dataset: { label: 'Where' } }, where(sources, `/authorization/${i}`, a)),
          ))),
        ))
        : null,
    );
  }

  function codesBlock(policy, sources) {
    const groups = policy.code_groups ?? [];
    if (!groups.length) return null;
    return h(
      'div',
      { id: 'import-codes' },
      h('h4', {}, 'Codes'),
      groups.map((g, i) => [
        h('p', {}, h('span', { class: `badge tone-${coverageWord(g.status).tone}` }, coverageWord(g.status).label), ' “',
          g.statement, '”', sourceNote(where(sources, `/code_groups/${i}`, g))),
        h('div', { class: 'table-scroll' }, h(
          'table',
          {},
          h('caption', { class: 'visually-hidden' }, `Codes listed under: ${g.statement}`),
          h('thead', {}, h('tr', {}, ['Code', 'Description', 'Line'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
          h('tbody', {}, g.codes.map((c) => h(
            'tr',
            {},
            h('th', { attrs: { scope: 'row' } }, `${c.code} (${c.system})`),
            h('td', { dataset: { label: 'Description' } }, c.description),
            h('td', { dataset: { label: 'Line' } }, c.line ? String(c.line) : ''),
          ))),
        )),
      ]),
    );
  }

  function queryBlock(policy, checker, problem) {
    if (!checker) {
      return h('div', { id: 'import-query' }, h('h4', {}, 'Check a code against this policy'),
        h('p', { class: 'form-error' }, 'This document cannot be queried until the findings above are resolved. ', problem));
    }
    const codes = [...new Map((policy.code_groups ?? []).flatMap((g) => g.codes).map((c) => [c.code, c])).values()];
    const codeSelect = h('select', { id: 'import-code', name: 'import-code' },
      codes.map((c) => h('option', { value: c.code }, `${c.code} — ${c.description}`)));
    const productSelect = h('select', { id: 'import-product', name: 'import-product' },
      (policy.products ?? []).map((id) => h('option', { value: id }, labelOf(id))));
    const settingSelect = h('select', { id: 'import-setting', name: 'import-setting' },
      Object.entries(settingLabels).map(([id, label]) => h('option', { value: id }, label)));
    const answer = h('div', { id: 'import-answer', attrs: { 'aria-live': 'polite' } });
    const queryForm = h(
      'form',
      { class: 'query', id: 'import-query-form', attrs: { novalidate: '' } },
      h('div', { class: 'field' }, h('label', { htmlFor: 'import-code' }, 'Code'), codeSelect),
      h('div', { class: 'field' }, h('label', { htmlFor: 'import-product' }, 'Plan product'), productSelect),
      h('div', { class: 'field' }, h('label', { htmlFor: 'import-setting' }, 'Setting'), settingSelect),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'import-check' }, 'Check')),
    );
    queryForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const envelope = checker.evaluateSafe({ code: codeSelect.value, product: productSelect.value, setting: settingSelect.value });
      replaceChildren(answer, envelope.success ? renderAnswer(envelope.data) : h('p', { class: 'form-error' }, envelope.error.message));
    });
    return h('div', { id: 'import-query' }, h('h4', {}, 'Check a code against this policy'),
      codes.length ? [queryForm, answer] : h('p', {}, 'No CPT or HCPCS code was read, so there is nothing to check.'));
  }

  function renderAnswer(r) {
    const coverage = coverageWord(r.coverage.status);
    const authorization = authorizationWord(r.authorization.status);
    const line = (item) => (item.line ? `line ${item.line}${item.section ? ` · ${item.section}` : ''}` : '');
    return h(
      'div',
      { class: 'verdicts', dataset: { code: r.query.code, product: r.query.product, setting: r.query.setting,
        coverage: r.coverage.status, authorization: r.authorization.status } },
      h('section', { class: `verdict tone-${coverage.tone}` },
        h('h5', {}, 'Coverage'), h('p', { class: 'status' }, coverage.label),
        r.coverage.statement ? [h('blockquote', {}, r.coverage.statement), h('p', { class: 'source' }, line(r.coverage))] : null,
        r.coverage.reason ? h('p', { class: 'reason' }, r.coverage.reason) : null),
      h('section', { class: `verdict tone-${authorization.tone}` },
        h('h5', {}, `Prior authorization · ${settingLabels[r.query.setting] ?? r.query.setting}`),
        h('p', { class: 'status' }, authorization.label),
        r.authorization.statement ? [h('blockquote', {}, r.authorization.statement), h('p', { class: 'source' }, line(r.authorization))] : null,
        r.authorization.reason ? h('p', { class: 'reason' }, r.authorization.reason) : null),
    );
  }

  return {
    /** Reads a document as if it had been pasted (for tests and other callers). */
    read: (documentText) => {
      text.value = documentText;
      return read(documentText, '');
    },
    get current() { return current; },
  };
}
