// The "Check a policy document" page: the checker with its importer, and nothing else.
import { inflateWasm, loadCoverCheck } from './covercheck.js';
import { h, replaceChildren } from './dom.js';
import { mountPolicyImport } from './policy-import.js';

const section = document.getElementById('import');

async function boot() {
  const bundle = document.getElementById('covercheck-bundle')?.textContent;
  const wasm = document.getElementById('covercheck-wasm')?.textContent;
  let cc;
  try {
    cc = await loadCoverCheck({ withImporter: true, ...(bundle && wasm ? { bundle, wasmBinary: await inflateWasm(wasm), requireDigest: true } : {}) });
  } catch (error) {
    replaceChildren(section, h('div', { class: 'fatal', attrs: { role: 'alert' } },
      h('h2', {}, 'The reader could not be loaded'), h('p', {}, error.message, error.code ? ` (${error.code})` : '')));
    return;
  }
  document.getElementById('data-version').textContent = cc.version().data_version;
  mountPolicyImport(section, cc);
  section.setAttribute('aria-busy', 'false');
  document.documentElement.dataset.ready = 'true';
}

boot();
