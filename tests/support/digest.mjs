// The data digest computed independently of the core, as SECURITY.md states it: SHA-256 of the
// bundle without its "digest" member, written as compact JSON with object members sorted by name
// (nlohmann's dump of the parsed bundle). Valid for bundles whose names are ASCII and whose
// numbers are integers, as the policy schema requires. Tests use it to make data that is
// damaged in meaning yet carries a matching digest.
import { createHash } from 'node:crypto';

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hex SHA-256 of the bundle's content (its "digest" member left out). */
export function bundleDigest(bundle) {
  const { digest, ...content } = bundle;
  return createHash('sha256').update(canonical(content), 'utf8').digest('hex');
}

/** A copy of `bundle` with its digest set to match its (possibly changed) content. */
export function withDigest(bundle) {
  return { ...bundle, digest: bundleDigest(bundle) };
}
