// covercheck JavaScript API, for browsers and node alike. The only importer of the generated
// WebAssembly module: requests and results are plain objects, JSON text crosses the boundary.
import createCoverCheckCore from './generated/covercheck-core.mjs';

/** A refused request or refused policy data: `.code` is stable, `.path` a JSON Pointer. */
export class CoverCheckError extends Error {
  constructor({ code, message, path = '', allowed = [] }) {
    super(message);
    this.name = 'CoverCheckError';
    this.code = code;
    this.path = path;
    this.allowed = allowed;
  }
}

const isNode = typeof process === 'object' && process.versions != null && process.versions.node != null;

// Reads a file shipped next to this module: from disk under node, over HTTP in a browser.
async function readAsset(name, as) {
  const url = new URL(`./generated/${name}`, import.meta.url);
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return as === 'text' ? readFile(url, 'utf8') : new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  return as === 'text' ? response.text() : new Uint8Array(await response.arrayBuffer());
}

/**
 * The module's bytes from an inlined copy: base64 text of the gzip-compressed .wasm, as the
 * self-contained page and the <cover-check> script carry it.
 */
export async function inflateWasm(gzipBase64) {
  const binary = atob(gzipBase64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (typeof DecompressionStream !== 'function') {
    throw new Error('this browser cannot unpack the checker (DecompressionStream is missing); please use a current browser');
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The core refuses requests over 8 MiB (request.too_large). Text that is certainly larger is
// refused here, before it is copied into the module: WebAssembly memory never shrinks, and a
// copy the allocator cannot place would be written over the module's memory by the glue.
const maxRequestBytes = 8 << 20;

function tooLarge(text) {
  // A string needs at least one UTF-8 byte per UTF-16 code unit.
  if (text.length <= maxRequestBytes) return null;
  return {
    code: 'request.too_large',
    message: `the request is at least ${text.length} bytes; the limit is ${maxRequestBytes}`,
    path: '',
  };
}

function toText(request) {
  // JSON text as a string, or as UTF-8 bytes (a file or a paste read as bytes): passed on as is.
  if (typeof request === 'string' || request instanceof Uint8Array) {
    const error = tooLarge(request);
    return error ? { error } : { text: request };
  }
  try {
    const text = JSON.stringify(request);
    if (text === undefined) throw new TypeError('not serialisable');
    const error = tooLarge(text);
    return error ? { error } : { text };
  } catch (cause) {
    return {
      error: { code: 'request.not_serializable', message: `the request cannot be written as JSON: ${cause.message}`, path: '' },
    };
  }
}

function localDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function unwrap(envelope) {
  if (!envelope.success) throw new CoverCheckError(envelope.error);
  return envelope.data;
}

// The importer lives in a second, larger module (covercheck-import), so that the checker's
// own module stays small; it is loaded only when asked for.
async function moduleFactory(withImporter) {
  if (!withImporter) return createCoverCheckCore;
  const { default: createCoverCheckImport } = await import('./generated/covercheck-import.mjs');
  return createCoverCheckImport;
}

/**
 * Loads the module and the policy data once.
 * @param {{wasmBinary?: Uint8Array|ArrayBuffer, bundle?: string|object, withImporter?: boolean, requireDigest?: boolean}} [options]
 *   wasmBinary: the module's bytes (the offline page passes its inlined copy);
 *   bundle: policy bundle JSON text or object (default: the bundle built next to this file);
 *   withImporter: load the module that can also import policy documents (importPolicy);
 *   requireDigest: refuse a bundle that does not carry its digest (default: true for the built
 *   bundle, which always carries one; false for a bundle given here, such as test data).
 */
export async function loadCoverCheck(options = {}) {
  const withImporter = Boolean(options.withImporter);
  const [factory, wasmBinary, bundle] = await Promise.all([
    moduleFactory(withImporter),
    options.wasmBinary ?? readAsset(withImporter ? 'covercheck-import.wasm' : 'covercheck-core.wasm', 'binary'),
    options.bundle ?? readAsset('policy-bundle.json', 'text'),
  ]);
  const requireDigest = options.requireDigest ?? options.bundle === undefined;
  const core = await factory({ wasmBinary, print() {}, printErr() {} });
  const bundleText = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  const loaded = JSON.parse(requireDigest ? core.loadVerified(bundleText) : core.load(bundleText));
  if (!loaded.success) throw new CoverCheckError(loaded.error);
  return new CoverCheck(core, loaded.data, { wasmBinary, withImporter });
}

// Import options as the JS API takes them (camelCase) and as the core reads them.
const importOptionNames = { sourceFile: 'source_file', effectiveFrom: 'effective_from', effectiveBasis: 'effective_basis' };

class CoverCheck {
  #core;
  #version;
  #products;
  #module;  // {wasmBinary, withImporter}: how to load another instance like this one

  #names;
  #productIndex;

  constructor(core, version, module) {
    this.#core = core;
    this.#version = version;
    this.#module = module;
    const names = JSON.parse(core.decide('[]')).data;
    this.#names = { coverage: names.coverage, authorization: names.authorization, policies: names.policies };
    this.#productIndex = new Map(this.products().map((p, i) => [p.id, i]));
  }

  /**
   * Statuses only, for many look-ups: {coverage, authorization, policy} for one question, or
   * an array of them for an array of questions (one crossing into the module for the batch).
   * Decisions are frozen objects shared between answers. Throws CoverCheckError like evaluate().
   */
  decide(request) {
    if (Array.isArray(request)) {
      const fast = this.#decideBatchFast(request);
      if (fast) return fast;
      const { text, error } = toText(request);
      if (error) throw new CoverCheckError(error);
      const { results } = unwrap(JSON.parse(this.#core.decide(text)));
      return results.map(([c, a, p]) => this.#decision(c | (a << 4) | ((p + 1) << 8)));
    }
    const fast = this.#decideFast(request);
    if (fast) return fast;
    // Anything the fast path does not take (a date, say) is answered in full, then reduced.
    const result = this.evaluate(request);
    const { coverage, authorization, policies } = this.#names;
    const policy = result.policy ? policies.indexOf(result.policy.id) : -1;
    return this.#decision(coverage.indexOf(result.coverage.status) | (authorization.indexOf(result.authorization.status) << 4) | ((policy + 1) << 8));
  }

  // A decision is one of a few combinations of statuses and policy: each is made once, frozen
  // and shared, so a batch of 10,000 answers allocates nothing per answer.
  #decisions = new Map();
  #decision(packed) {
    let decision = this.#decisions.get(packed);
    if (!decision) {
      const policy = (packed >> 8) - 1;
      decision = Object.freeze({
        coverage: this.#names.coverage[packed & 15],
        authorization: this.#names.authorization[(packed >> 4) & 15],
        policy: policy < 0 ? null : this.#names.policies[policy],
      });
      this.#decisions.set(packed, decision);
    }
    return decision;
  }

  // The batch version of the fast path: every question written into module memory, one call.
  #decideBatchFast(list) {
    const count = list.length;
    if (count === 0 || count > 100000) return null;
    const stride = 36;
    const core = this.#core;
    const base = core._covercheck_batch_buffer(count);
    if (!base) return null;
    const heap = core.HEAPU8;  // read after the call: the buffer may have grown memory
    for (let i = 0; i < count; i++) {
      const at = base + i * stride;
      const indexes = this.#writeQuestion(list[i], heap, at);
      if (indexes < 0) return null;
      heap[at + 32] = list[i].code.length;
      heap[at + 33] = indexes & 255;
      heap[at + 34] = indexes >> 8;
    }
    core._covercheck_decide_batch(count);
    const answers = new Int32Array(core.HEAPU8.buffer, base + count * stride, count);
    const out = new Array(count);
    for (let i = 0; i < count; i++) {
      const packed = answers[i];
      if (packed < 0) return null;
      out[i] = this.#decision(packed);
    }
    return out;
  }

  // Plain ids and a code of plain characters go straight to the module's exported function;
  // anything else (a date, an unknown product, a malformed request) takes evaluate()'s path,
  // which validates everything and explains any error.
  #decideFast(request) {
    const core = this.#core;
    const indexes = this.#writeQuestion(request, core.HEAPU8, core._covercheck_code_buffer());
    if (indexes < 0) return null;
    const packed = core._covercheck_decide(request.code.length, indexes & 255, indexes >> 8);
    return packed < 0 ? null : this.#decision(packed);
  }

  // A plain question ({code, product, setting}, a code of at most 31 ASCII characters, known
  // ids) has its code's bytes written at `at` and gives product | setting << 8; anything else
  // gives -1 and is left to the JSON path, which validates it and explains any error.
  #writeQuestion(q, heap, at) {
    if (q === null || typeof q !== 'object') return -1;
    const { code } = q;
    if (typeof code !== 'string' || code.length > 31 || Object.keys(q).length !== 3) return -1;
    const p = this.#productIndex.get(q.product);
    const s = q.setting === 'inpatient' ? 0 : q.setting === 'outpatient' ? 1 : -1;
    if (p === undefined || s < 0) return -1;
    for (let k = 0; k < code.length; k++) {
      const c = code.charCodeAt(k);
      if (c > 127) return -1;
      heap[at + k] = c;
    }
    return p | (s << 8);
  }

  /** One code, product and setting; returns the result or throws CoverCheckError. */
  evaluate(request) {
    return unwrap(this.evaluateSafe(request));
  }

  /** Like evaluate, but returns the envelope {success, data | error} and never throws. */
  evaluateSafe(request) {
    const { text, error } = toText(request);
    if (error) return { success: false, error };
    return JSON.parse(this.#core.evaluate(text));
  }

  /** Codes x products x settings; an omitted list means all. */
  matrix(request = {}) {
    return unwrap(this.matrixSafe(request));
  }

  matrixSafe(request = {}) {
    const { text, error } = toText(request);
    if (error) return { success: false, error };
    return JSON.parse(this.#core.matrix(text));
  }

  /** The plan products: [{id, label, line_of_business}]. */
  products() {
    this.#products ??= unwrap(JSON.parse(this.#core.products())).products;
    return this.#products.map((p) => ({ ...p }));
  }

  settings() {
    return ['inpatient', 'outpatient'];
  }

  /** Codes by prefix ("473") and by words of their descriptions ("cryo liver"). */
  search(text, { limit = 20 } = {}) {
    if (typeof text !== 'string') return [];
    // The core searches at most 200 characters; anything longer is refused, without copying it all.
    if (text.length > 200) text = text.slice(0, 201);
    return unwrap(JSON.parse(this.#core.search(text, Math.max(0, Math.min(100, limit | 0))))).results;
  }

  /** The data version (a digest of the policy data), the engine version and the policies. */
  version() {
    return structuredClone(this.#version);
  }

  /**
   * The answer as an HL7 Da Vinci CRD coverage-information extension (FHIR R4 JSON).
   * `as_of`, the assertion date, defaults to today in the local time zone.
   */
  crd(request) {
    return unwrap(this.crdSafe(request));
  }

  crdSafe(request) {
    // The assertion date defaults to today for a request given as an object; text or bytes are
    // passed on as they are, so they carry their own "as_of".
    const plainObject = request !== null && typeof request === 'object' && !ArrayBuffer.isView(request) && !Array.isArray(request);
    const withDate = plainObject && !('as_of' in request) ? { ...request, as_of: localDate(new Date()) } : request;
    const { text, error } = toText(withDate);
    if (error) return { success: false, error };
    return JSON.parse(this.#core.crd(text));
  }

  /** A whole policy as the data states it, for the policy view. */
  policy(id) {
    return unwrap(JSON.parse(this.#core.policy(String(id).slice(0, 1000))));
  }

  /**
   * Diagnostics for tests and troubleshooting, not answers: heapInUseBytes is what the module's
   * allocator holds (allocated and not freed), memoryBytes the size of its WebAssembly memory.
   */
  diagnostics() {
    return { heapInUseBytes: this.#core.memoryInUse(), memoryBytes: this.#core.HEAP8?.length ?? null };
  }

  /**
   * Reads a medical-policy document (plain text) into policy data, in this page: nothing is sent
   * anywhere. Returns {policy, report: [{code, severity, message, lines?, section?, path?}],
   * complete, sources: {"<JSON Pointer>": {lines, section}}}; throws CoverCheckError for bad options.
   * @param {string} text
   * @param {{id?: string, publisher?: string, sourceFile?: string, effectiveFrom?: string, effectiveBasis?: string}} [options]
   */
  importPolicy(text, options = {}) {
    return unwrap(this.importPolicySafe(text, options));
  }

  importPolicySafe(text, options = {}) {
    if (typeof text !== 'string') {
      return { success: false, error: { code: 'request.wrong_type', message: 'the policy document must be text', path: '' } };
    }
    const core = { products: this.products() };
    for (const [name, value] of Object.entries(options ?? {})) core[importOptionNames[name] ?? name] = value;
    const { text: optionsText, error } = toText(core);
    if (error) return { success: false, error };
    if (text.length > 32 << 20) {
      // The importer reads at most 32 MB; larger text is refused before it is copied into the module.
      return { success: false, error: { code: 'request.too_large', message: `the document is at least ${text.length} bytes; the limit is ${32 << 20}`, path: '' } };
    }
    if (typeof this.#core.importPolicy !== 'function') {
      return { success: false, error: { code: 'internal.no_importer', message: 'this checker was loaded without the importer: use loadCoverCheck({ withImporter: true })', path: '' } };
    }
    return JSON.parse(this.#core.importPolicy(text, optionsText));
  }

  /**
   * A second checker that answers only from the given policies (for example one just imported),
   * with this checker's products. It runs in its own module instance; this one is unchanged.
   * Throws CoverCheckError (data.*) when a policy does not load.
   */
  async withPolicies(policies) {
    const bundle = { schema_version: 1, publisher: '', products: this.products(), policies: [...policies] };
    return loadCoverCheck({ ...this.#module, bundle });
  }
}
