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

function unwrap(envelope) {
  if (!envelope.success) throw new CoverCheckError(envelope.error);
  return envelope.data;
}

/**
 * Loads the module and the policy data once.
 * @param {{wasmBinary?: Uint8Array|ArrayBuffer, bundle?: string|object, requireDigest?: boolean}} [options]
 *   wasmBinary: the module's bytes (the offline page passes its inlined copy);
 *   bundle: policy bundle JSON text or object (default: the bundle built next to this file);
 *   requireDigest: refuse a bundle that does not carry its digest (default: true for the built
 *   bundle, which always carries one; false for a bundle given here, such as test data).
 */
export async function loadCoverCheck(options = {}) {
  const [wasmBinary, bundle] = await Promise.all([
    options.wasmBinary ?? readAsset('covercheck-core.wasm', 'binary'),
    options.bundle ?? readAsset('policy-bundle.json', 'text'),
  ]);
  const requireDigest = options.requireDigest ?? options.bundle === undefined;
  const core = await createCoverCheckCore({ wasmBinary, print() {}, printErr() {} });
  const bundleText = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  const loaded = JSON.parse(requireDigest ? core.loadVerified(bundleText) : core.load(bundleText));
  if (!loaded.success) throw new CoverCheckError(loaded.error);
  return new CoverCheck(core, loaded.data);
}

class CoverCheck {
  #core;
  #version;
  #products;

  constructor(core, version) {
    this.#core = core;
    this.#version = version;
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
}
