// Well-known cross-site-scripting payloads, and the check that a page stayed inert after being
// given them. Reusable by any test that puts untrusted text into the page: the URL fragment, the
// code field, and any box added later (a pasted list of codes, a pasted policy document): put each
// payload in, then call inertState() and assertInert().
//
// Every payload that could run sets window.__xssRan and opens a dialog, so running code is seen
// even where a CSP violation would not be reported.
import assert from 'node:assert/strict';

const run = 'window.__xssRan=1,alert(document.domain)';
const tag = `<img src=x onerror=${run}>`;

/** [{name, text}]: script tags, event handlers, javascript: and data: URLs, SVG and MathML,
 * breakouts from attributes, strings and JSON, and encoded and double-encoded variants. */
export const xssPayloads = [
  { name: 'script tag', text: `<script>${run}</script>` },
  { name: 'script tag, mixed case', text: `<ScRiPt>${run}</sCrIpT>` },
  { name: 'script tag split by a nested one', text: `<scr<script>ipt>${run}</scr</script>ipt>` },
  { name: 'script tag with a NUL inside', text: `<scr\u0000ipt>${run}</script>` },
  { name: 'closing the page script', text: `</script><script>${run}</script>` },
  { name: 'img onerror', text: tag },
  { name: 'img onerror, quoted', text: `<img src="x" onerror="${run}">` },
  { name: 'svg onload', text: `<svg onload=${run}>` },
  { name: 'svg/onload without spaces', text: `<svg/onload=${run}>` },
  { name: 'svg script', text: `<svg><script>${run}</script></svg>` },
  { name: 'svg animate onbegin', text: `<svg><animate onbegin=${run} attributeName=x dur=1s>` },
  { name: 'MathML mutation', text: `<math><mtext><table><mglyph><style><img src=x onerror=${run}>` },
  { name: 'noscript mutation', text: `<noscript><p title="</noscript><img src=x onerror=${run}>">` },
  { name: 'body onload', text: `<body onload=${run}>` },
  { name: 'details ontoggle', text: `<details open ontoggle=${run}>` },
  { name: 'input autofocus onfocus', text: `<input autofocus onfocus=${run}>` },
  { name: 'iframe javascript: URL', text: `<iframe src="javascript:${run}"></iframe>` },
  { name: 'iframe srcdoc', text: `<iframe srcdoc="<script>parent.${run}</script>"></iframe>` },
  { name: 'object javascript: URL', text: `<object data="javascript:${run}">` },
  { name: 'link with a javascript: URL', text: `<a href="javascript:${run}">47371</a>` },
  { name: 'bare javascript: URL', text: `javascript:${run}` },
  { name: 'javascript: URL with a tab and entity', text: `java\tscript&colon;${run}` },
  { name: 'data: URL with a script', text: `data:text/html,<script>${run}</script>` },
  { name: 'meta refresh', text: `<meta http-equiv="refresh" content="0;url=javascript:${run}">` },
  { name: 'base href elsewhere', text: '<base href="https://evil.example/">' },
  { name: 'stylesheet from elsewhere', text: '<link rel=stylesheet href="https://evil.example/x.css">' },
  { name: 'style @import from elsewhere', text: "<style>@import 'https://evil.example/x.css';</style>" },
  { name: 'image from elsewhere (a beacon)', text: '<img src="https://evil.example/beacon?q=47371">' },
  { name: 'style attribute with a javascript: URL', text: `<div style="background:url(javascript:${run})">` },
  { name: 'attribute breakout, double quote', text: `" autofocus onfocus="${run}" x="` },
  { name: 'attribute breakout, single quote', text: `' autofocus onfocus='${run}' x='` },
  { name: 'attribute breakout into a tag', text: `"><img src=x onerror=${run}>` },
  { name: 'JavaScript string breakout', text: `';${run};//` },
  { name: 'template literal', text: `\${${run}}` },
  { name: 'template injection', text: `{{constructor.constructor('${run}')()}}` },
  { name: 'JSON breakout', text: `"}]}<script>${run}</script>` },
  { name: 'code followed by markup', text: `47371${tag}` },
  { name: 'HTML entities', text: `&lt;img src=x onerror=${run}&gt;` },
  { name: 'numeric character references', text: `&#60;img src=x onerror=${run}&#62;` },
  { name: 'percent-encoded', text: encodeURIComponent(tag) },
  { name: 'double percent-encoded', text: encodeURIComponent(encodeURIComponent(tag)) },
  { name: 'JavaScript unicode escapes', text: `\\u003cimg src=x onerror=${run}\\u003e` },
  { name: 'fullwidth brackets', text: `\uff1cscript\uff1e${run}\uff1c/script\uff1e` },
  { name: 'right-to-left override', text: `\u202e>tpircs/<${run}>tpircs<` },
];

/** What a page shows and holds after hostile input, read in the page. */
export function inertState(page) {
  return page.evaluate(() => {
    // The page itself has none of these in its body, and no base, frame or image anywhere.
    const dangerous = 'iframe, frame, object, embed, svg, math, base, img, [srcdoc], a[href^="javascript:" i], ' +
      'body meta, body link, body style, #form-error *';
    const scriptsNow = document.scripts.length;
    const handlers = [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)));
    return {
      ran: window.__xssRan === 1,
      scripts: scriptsNow,
      handlers: handlers.map((el) => el.outerHTML.slice(0, 80)),
      dangerous: [...document.querySelectorAll(dangerous)].map((el) => el.outerHTML.slice(0, 80)),
      violations: window.__cspViolations ?? [],
      text: [
        document.body.innerText,
        ...[...document.querySelectorAll('input, select')].map((el) => el.value),
        ...[...document.querySelectorAll('option')].map((el) => el.textContent),
      ].join('\n'),
    };
  });
}

/** The page's own script elements: the module and its two data blocks. */
export const ownScripts = 3;

/**
 * Asserts nothing ran and nothing was injected: no script beyond the page's own, no event-handler
 * attribute, no frame, SVG, base, refresh or stylesheet, no CSP violation (something tried), no
 * dialog, no flag; and no request beyond the page's own files.
 */
export function assertInert(state, p, label) {
  assert.equal(state.ran, false, `${label}: a payload ran`);
  assert.equal(state.scripts, ownScripts, `${label}: a script element was added`);
  assert.deepEqual(state.handlers, [], `${label}: an event-handler attribute was added`);
  assert.deepEqual(state.dangerous, [], `${label}: markup was injected`);
  assert.deepEqual(state.violations, [], `${label}: the CSP had to stop something`);
  assert.deepEqual(p.dialogs, [], `${label}: a dialog opened`);
  assert.deepEqual(p.foreign(), [], `${label}: a request left the page's own files`);
}

// How the checker quotes input in an error message (wasm/core/src/error.cpp, quote_input).
function quoted(text) {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return out;
}

/** True when the page shows `text` (its first characters) as text: in a field, or quoted in a message. */
export function showsAsText(state, text) {
  const start = [...text].slice(0, 12).join('');
  return state.text.includes(start) || state.text.includes(quoted(start));
}
