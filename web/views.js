// What the page shows: one answer, one code across products and settings, many codes as a
// matrix, a whole policy. Plain words first; the policy's exact sentences and details beneath.
// Every value from data or input goes in as text (see dom.js).
import { h } from './dom.js';
import { authorizationWord, coverageWord, settingLabels } from './words.js';

export function monthName(yearMonth) {
  const [year, month] = String(yearMonth).split('-').map(Number);
  if (!year || !month) return String(yearMonth);
  return `${new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${year}`;
}

function badge(word, extra = {}) {
  return h('span', { class: `badge tone-${word.tone}`, ...extra }, h('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, toneMark[word.tone]), word.label);
}

// A shape beside each colour, so colour is never the only signal.
const toneMark = { ok: '✓', warn: '!', stop: '✕', none: '?' };

function codeTitle(code, level = 'h2') {
  return h(
    level,
    { class: 'result-title' },
    h('span', { class: 'code' }, code.code),
    code.description ? h('span', { class: 'description' }, code.description) : null,
    code.system ? h('span', { class: 'system' }, code.system) : null,
  );
}

function sourceLine(policy, section, extra) {
  const parts = [`Policy ${policy.number}`];
  if (section) parts.push(section.replace(/ > /g, ' › '));
  if (extra) parts.push(extra);
  return h('p', { class: 'source' }, parts.join(', '));
}

function policyLink(policy) {
  return h('a', { href: `#policy=${encodeURIComponent(policy.id)}`, class: 'policy-link' }, `Read policy #${policy.number} in full`);
}

function versionLine(result) {
  const parts = [`Data version ${result.data_version}`];
  if (result.policy) parts.push(`policy #${result.policy.number} as last reviewed ${monthName(result.policy.last_review)}, for dates of service from ${result.policy.effective_from}${result.policy.effective_to ? ` to ${result.policy.effective_to}` : ''}`);
  return h('p', { class: 'source version-line' }, `${parts.join('; ')}.`);
}

function coverageBlock(result) {
  const word = coverageWord(result.coverage.status);
  return h(
    'section',
    { class: `verdict tone-${word.tone}`, dataset: { part: 'coverage' } },
    h('h3', {}, 'Coverage'),
    h('p', { class: 'status' }, h('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, toneMark[word.tone]), word.label),
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
    h('p', { class: 'status' }, h('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, toneMark[word.tone]), word.label),
    h('p', {}, word.plain(authorization.setting)),
    authorization.statement ? h('blockquote', {}, authorization.statement) : null,
    authorization.statement ? sourceLine(result.policy, authorization.section, authorization.printed_product) : null,
    authorization.reason && authorization.reason !== result.coverage.reason ? h('p', { class: 'reason' }, authorization.reason) : null,
  );
}

function nextSteps(ctx, policy) {
  const doc = policy ? ctx.policyDocument(policy.id) : null;
  const pointers = doc?.general_information ?? [];
  return h(
    'section',
    { class: 'next-steps' },
    h('h3', {}, 'What you can do'),
    h(
      'ul',
      {},
      h('li', {}, 'Talk to your provider: they can explain the options and ask the plan on your behalf.'),
      h('li', {}, 'Check your plan documents or call the number on your member ID card: your contract benefits decide coverage.'),
      pointers.length ? h('li', {}, `The policy also points to: ${pointers.join('; ')} (ask the plan for these documents).`) : null,
    ),
  );
}

function policyFacts(ctx, policy, { link = true } = {}) {
  const related = policy.related_policies ?? [];
  return h(
    'div',
    { class: 'policy' },
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
    related.length ? relatedList(ctx, related) : null,
    link ? policyLink(policy) : null,
  );
}

function relatedList(ctx, related, { disclosure = true } = {}) {
  const list = h(
      'ul',
      {},
      related.map((r) => {
        const included = ctx.policyByNumber(r.number);
        return h(
          'li',
          {},
          included ? h('a', { href: `#policy=${encodeURIComponent(included.id)}` }, `#${r.number} ${r.title}`) : `#${r.number} ${r.title}`,
          included ? '' : h('span', { class: 'hint' }, ' — not included in this checker'),
        );
      }),
    );
  return disclosure ? h('details', { class: 'related' }, h('summary', {}, `Related policies (${related.length})`), list) : list;
}

function noticesBlock(notices) {
  if (!notices?.length) return null;
  return h('div', { class: 'notices' }, h('h3', {}, 'The policy’s notices'), h('ul', {}, notices.map((n) => h('li', {}, n))));
}

function crdBlock(ctx, result) {
  const envelope = ctx.cc.crdSafe({ code: result.query.code, product: result.query.product, setting: result.query.setting, date: result.query.date });
  if (!envelope.success) return null;
  const text = JSON.stringify(envelope.data.extension, null, 2);
  return h(
    'details',
    { class: 'crd' },
    h('summary', {}, 'CRD view (HL7 Da Vinci coverage-information)'),
    h('p', { class: 'hint' }, 'The same answer as a FHIR R4 extension, for systems that speak Coverage Requirements Discovery.'),
    h('pre', { class: 'json', tabIndex: 0, attrs: { 'aria-label': 'CRD coverage-information extension, JSON' } }, text),
    ctx.copyButton('Copy CRD JSON', () => text),
  );
}

/** One code, product and setting. */
export function renderSingle(ctx, result) {
  const { query } = result;
  const context = [ctx.productLabel(query.product), settingLabels[query.setting]];
  if (query.date) context.push(`date of service ${query.date}`);
  return h(
    'article',
    {
      class: 'result',
      dataset: { code: query.code, product: query.product, setting: query.setting, coverage: result.coverage.status, authorization: result.authorization.status },
    },
    codeTitle(result.code),
    h('p', { class: 'context' }, context.join(' · ')),
    h('div', { class: 'verdicts' }, coverageBlock(result), authorizationBlock(result)),
    result.coverage.code_statement ? h('p', { class: 'source' }, `The policy lists ${result.code.code} under: “${result.coverage.code_statement}”`) : null,
    nextSteps(ctx, result.policy),
    result.policy
      ? h('details', { class: 'details', open: ctx.wide }, h('summary', {}, 'Which policy says so'), policyFacts(ctx, result.policy), noticesBlock(result.notices))
      : null,
    crdBlock(ctx, result),
    versionLine(result),
  );
}

function uniqueStatements(ctx, results, pick) {
  const seen = new Map();
  for (const r of results) {
    const item = pick(r);
    if (!item?.statement) continue;
    // The same words in two policies are two statements: each is cited to its own policy.
    const key = `${r.policy?.id ?? ''}|${item.setting ?? ''}|${item.statement}`;
    if (!seen.has(key)) seen.set(key, { ...item, policy: r.policy, products: [] });
    const label = ctx.productLabel(r.query.product);
    if (!seen.get(key).products.includes(label)) seen.get(key).products.push(label);
  }
  return [...seen.values()];
}

function forProducts(ctx, labels) {
  return labels.length === ctx.cc.products().length ? 'all products' : labels.join('; ');
}

/** One code across products and settings, with the statements once each. */
export function renderCodeTable(ctx, results, products, settings) {
  const first = results[0];
  const cell = (product, setting) => results.find((r) => r.query.product === product && r.query.setting === setting);
  const reasons = [...new Set(results.flatMap((r) => [r.coverage.reason, r.authorization.reason]).filter(Boolean))];
  const statuses = [...new Set(results.map((r) => r.coverage.status))];
  const authStatuses = [...new Set(results.map((r) => `${r.authorization.setting}|${r.authorization.status}`))];
  const statements = [
    ...uniqueStatements(ctx, results, (r) => r.coverage),
    ...uniqueStatements(ctx, results, (r) => r.authorization),
  ];
  // One code may be answered by different policies for different products: each is shown.
  const byPolicy = (list) => [...new Map(list.filter((r) => r.policy).map((r) => [r.policy.id, r])).values()];
  const policies = byPolicy(results);
  const codeStatements = byPolicy(results.filter((r) => r.coverage.code_statement));
  return h(
    'article',
    { class: 'result', dataset: { code: first.query.code } },
    codeTitle(first.code),
    first.query.date ? h('p', { class: 'context' }, `Date of service ${first.query.date}`) : null,
    h(
      'div',
      { class: 'summary' },
      statuses.map((status) => h('p', {}, h('strong', {}, `${coverageWord(status).label}. `), coverageWord(status).plain)),
      authStatuses.map((key) => {
        const [setting, status] = key.split('|');
        const word = authorizationWord(status);
        return h('p', {}, h('strong', {}, `${settingLabels[setting]}: ${word.label}. `), word.plain(setting));
      }),
      reasons.map((reason) => h('p', { class: 'reason' }, reason)),
    ),
    h(
      'table',
      { class: 'grid' },
      h('caption', {}, `${first.query.code}: coverage and prior authorization by product and setting`),
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Product'), settings.map((s) => h('th', { attrs: { scope: 'col' } }, settingLabels[s])))),
      h(
        'tbody',
        {},
        products.map((p) =>
          h(
            'tr',
            {},
            h('th', { attrs: { scope: 'row' } }, ctx.productLabel(p)),
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
    statements.length
      ? h(
          'section',
          { class: 'statements' },
          h('h3', {}, 'What the policy says'),
          statements.map((s) => [h('blockquote', {}, s.statement), sourceLine(s.policy, s.section, forProducts(ctx, s.products))]),
          codeStatements.map((r) => h('p', { class: 'source' }, `Policy ${r.policy.number} lists ${r.code.code} under: “${r.coverage.code_statement}”`)),
        )
      : null,
    policies.length ? nextSteps(ctx, policies[0].policy) : null,
    policies.map((r) =>
      h('details', { class: 'details', open: ctx.wide }, h('summary', {}, policies.length > 1 ? `Which policy says so: #${r.policy.number}` : 'Which policy says so'), policyFacts(ctx, r.policy), noticesBlock(r.notices))),
    versionLine(first),
  );
}

export const matrixFilters = {
  all: { label: 'All rows', keep: () => true },
  'needs-authorization': { label: 'Prior authorization required', keep: (row) => row.cells.some((c) => c.authorization === 'required') },
  'not-covered': { label: 'Not covered or investigational', keep: (row) => row.cells.some((c) => ['investigational', 'not-covered', 'not-medically-necessary'].includes(c.coverage) || c.authorization === 'not-covered') },
  'not-in-data': { label: 'Not in our data', keep: (row) => row.cells.some((c) => c.coverage === 'not-in-data') },
};

function countsLine(data) {
  const total = data.cells.length;
  const parts = [];
  for (const [status, n] of Object.entries(data.counts.coverage ?? {})) parts.push(`${n} ${coverageWord(status).label.toLowerCase()}`);
  for (const [status, n] of Object.entries(data.counts.authorization ?? {})) {
    if (status !== 'not-in-data') parts.push(`${n} ${authorizationWord(status).label.toLowerCase()}`);
  }
  return `${data.query.codes.length} code${data.query.codes.length === 1 ? '' : 's'}, ${total} answers: ${parts.join(' · ')}.`;
}

/**
 * Many codes: codes × products × settings in one table, with counts and a filter.
 * `invalid` lists entries that are not codes at all.
 */
export function renderMatrix(ctx, data, invalid, filter, onFilter) {
  const { products, settings } = data.query;
  const byCode = new Map(data.codes.map((c) => [c.code, { info: c, rows: new Map() }]));
  for (const cell of data.cells) {
    const entry = byCode.get(cell.code);
    if (!entry.rows.has(cell.product)) entry.rows.set(cell.product, { code: cell.code, product: cell.product, cells: [] });
    entry.rows.get(cell.product).cells.push(cell);
  }
  const keep = (matrixFilters[filter] ?? matrixFilters.all).keep;
  let shown = 0;
  const bodies = [];
  for (const [code, { info, rows }] of byCode) {
    const visible = [...rows.values()].filter(keep);
    if (!visible.length) continue;
    shown += visible.length;
    const notInData = !info.description;
    bodies.push(
      h(
        'tbody',
        { class: notInData ? 'not-in-data' : '', dataset: { code } },
        visible.map((row, i) =>
          h(
            'tr',
            { dataset: { code, product: row.product } },
            i === 0
              ? h('th', { attrs: { scope: 'rowgroup', rowspan: visible.length }, class: 'code-cell' },
                h('span', { class: 'code' }, code),
                h('span', { class: 'description' }, info.description ?? 'Not in our data: no bundled policy lists this code'))
              : null,
            h('th', { attrs: { scope: 'row' } }, ctx.productLabel(row.product)),
            settings.map((s) => {
              const c = row.cells.find((x) => x.setting === s);
              return h(
                'td',
                { dataset: { code, product: row.product, setting: s, coverage: c.coverage, authorization: c.authorization, label: settingLabels[s] } },
                badge(coverageWord(c.coverage)),
                c.coverage === 'not-in-data' ? null : badge(authorizationWord(c.authorization)),
              );
            }),
          ),
        ),
      ),
    );
  }
  const policies = Object.values(data.policies ?? {});
  const filterId = 'matrix-filter';
  return h(
    'article',
    { class: 'result matrix', dataset: { codes: data.query.codes.length } },
    h('h2', {}, `${data.query.codes.length} code${data.query.codes.length === 1 ? '' : 's'} checked`),
    h('p', { class: 'counts' }, countsLine(data)),
    invalid.length
      ? h('div', { class: 'invalid-list', attrs: { role: 'note' } },
        h('p', {}, h('strong', {}, `${invalid.length} entr${invalid.length === 1 ? 'y is' : 'ies are'} not a code and ${invalid.length === 1 ? 'was' : 'were'} skipped:`)),
        h('ul', {}, invalid.slice(0, 50).map((e) => h('li', {}, e.message))),
        invalid.length > 50 ? h('p', {}, `…and ${invalid.length - 50} more.`) : null)
      : null,
    h(
      'div',
      { class: 'filter' },
      h('label', { htmlFor: filterId }, 'Show'),
      h(
        'select',
        { id: filterId, onchange: (event) => onFilter(event.target.value) },
        Object.entries(matrixFilters).map(([value, f]) => h('option', { value, selected: value === (filter || 'all') }, f.label)),
      ),
      h('span', { class: 'hint', attrs: { 'aria-live': 'polite' } }, `${shown} row${shown === 1 ? '' : 's'} shown`),
    ),
    h(
      'table',
      { class: 'grid matrix-table' },
      h('caption', { class: 'visually-hidden' }, 'Coverage and prior authorization by code, product and setting'),
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Code'), h('th', { attrs: { scope: 'col' } }, 'Product'), settings.map((s) => h('th', { attrs: { scope: 'col' } }, settingLabels[s])))),
      bodies,
    ),
    shown === 0 ? h('p', { class: 'placeholder' }, 'No rows match this filter.') : null,
    policies.length
      ? h('section', { class: 'statements' }, h('h3', {}, 'Policies behind these answers'),
        policies.map((p) => h('p', {}, `#${p.number} ${p.title} (last review ${monthName(p.last_review)}). `, policyLink(p))))
      : null,
    h('p', { class: 'source version-line' }, `Data version ${data.data_version}${data.query.date ? `; date of service ${data.query.date}` : ''}.`),
  );
}

/** A whole policy: statements, authorization table as printed, codes, related, evidence, history. */
export function renderPolicy(ctx, doc, summary, dataVersion) {
  const label = (id) => ctx.productLabel(id);
  const bySetting = new Map();
  for (const rule of doc.authorization ?? []) {
    if (!bySetting.has(rule.setting)) bySetting.set(rule.setting, []);
    bySetting.get(rule.setting).push(rule);
  }
  return h(
    'article',
    { class: 'result policy-view', dataset: { policy: doc.id } },
    h('h2', {}, `Medical Policy #${doc.number}: ${doc.title}`),
    policyFacts(ctx, { ...summary, related_policies: [] }, { link: false }),
    h('h3', {}, 'Coverage statements'),
    doc.products_heading ? h('p', { class: 'source' }, doc.products_heading) : null,
    h(
      'table',
      { class: 'grid' },
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Products'), h('th', { attrs: { scope: 'col' } }, 'Status'), h('th', { attrs: { scope: 'col' } }, 'The policy says'))),
      h('tbody', {}, (doc.coverage ?? []).map((c) => h('tr', {},
        h('th', { attrs: { scope: 'row' } }, c.products.map(label).join('; ')),
        h('td', { dataset: { label: 'Status' } }, badge(coverageWord(c.status))),
        h('td', { dataset: { label: 'The policy says' } }, c.statement)))),
    ),
    h('h3', {}, 'Prior authorization, as the policy prints it'),
    [...bySetting].map(([setting, rules]) => [
      h('h4', {}, settingLabels[setting] ?? setting),
      (doc.authorization_notes ?? []).filter((n) => n.setting === setting).map((n) => h('p', { class: 'source' }, n.text)),
      h(
        'table',
        { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Product'), h('th', { attrs: { scope: 'col' } }, settingLabels[setting] ?? setting))),
        h('tbody', {}, rules.map((r) => h('tr', {},
          h('th', { attrs: { scope: 'row' } }, r.printed_product ?? (r.products.length === (doc.products ?? []).length ? 'All products' : r.products.map(label).join('; '))),
          h('td', { dataset: { label: settingLabels[setting] ?? setting } }, r.statement)))),
      ),
    ]),
    h('h3', {}, 'Codes'),
    (doc.code_groups ?? []).map((g) => [
      h('p', {}, g.statement),
      h(
        'table',
        { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Code'), h('th', { attrs: { scope: 'col' } }, 'Description'))),
        h('tbody', {}, g.codes.map((c) => h('tr', {},
          h('th', { attrs: { scope: 'row' } }, h('a', { href: `#code=${encodeURIComponent(c.code)}` }, c.code), ` ${c.system}`),
          h('td', { dataset: { label: 'Description' } }, c.description)))),
      ),
    ]),
    noticesBlock(doc.coding_notices),
    (doc.related_policies ?? []).length ? [h('h3', {}, 'Related policies'), relatedList(ctx, doc.related_policies, { disclosure: false })] : null,
    (doc.evidence ?? []).length
      ? [h('h3', {}, 'Evidence conclusions'), h('ul', { class: 'evidence' }, doc.evidence.map((e) => h('li', {},
        h('strong', {}, `For individuals who have ${e.population}`), e.intervention ? ` who receive ${e.intervention}` : '', ': ',
        e.conclusion)))]
      : null,
    (doc.history ?? []).length
      ? h('details', {}, h('summary', {}, `Policy history (${doc.history.length} entries)`),
        h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'Date'), h('th', { attrs: { scope: 'col' } }, 'Action'))),
          h('tbody', {}, doc.history.map((e) => h('tr', {}, h('th', { attrs: { scope: 'row' } }, e.date), h('td', { dataset: { label: 'Action' } }, e.action))))))
      : null,
    doc.references_count != null ? h('p', {}, `The policy cites ${doc.references_count} references (not reproduced here).`) : null,
    (doc.general_information ?? []).length ? h('p', {}, `Information pertaining to all of the publisher's policies: ${doc.general_information.join('; ')}.`) : null,
    h('p', { class: 'source version-line' }, `Data version ${dataVersion}.${doc.source?.sha256 ? ` Transcribed from ${doc.source.file} (SHA-256 ${doc.source.sha256.slice(0, 12)}…).` : ''}`),
  );
}

export function renderIntro(ctx) {
  const version = ctx.cc.version();
  const first = version.policies.length ? ctx.policyDocument(version.policies[0].id) : null;
  const examples = (first?.code_groups ?? []).flatMap((g) => g.codes).slice(0, 3);
  return h(
    'div',
    { class: 'result intro' },
    h('h2', {}, 'Start with a code'),
    h('p', {}, 'This checker holds ', h('strong', {}, `${version.policies.length} medical polic${version.policies.length === 1 ? 'y' : 'ies'}`), ':'),
    h('ul', {}, version.policies.map((p) => h('li', {}, h('a', { href: `#policy=${encodeURIComponent(p.id)}` }, `#${p.number} ${p.title}`), ` (last reviewed ${monthName(p.last_review)})`))),
    examples.length
      ? h('p', {}, 'Examples: ', examples.map((hit, i) => [i ? ', ' : '', h('a', { href: `#code=${encodeURIComponent(hit.code)}` }, hit.code)]),
        examples.length > 1 ? [', or all of them at once: ', h('a', { href: `#code=${examples.map((e) => e.code).join(',')}` }, examples.map((e) => e.code).join(', '))] : null)
      : null,
    h('p', { class: 'hint' }, 'Provider staff: paste a list of codes (one per line or separated by commas) to see every product and setting for all of them.'),
  );
}
