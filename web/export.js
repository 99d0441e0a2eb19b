// Keeping and sharing answers, all made in the browser: CSV and JSON downloads, copying the
// link. Nothing is uploaded.

const csvColumns = [
  ['code', (r) => r.code.code],
  ['description', (r) => r.code.description ?? ''],
  ['product', (r) => r.product.id],
  ['product_label', (r) => r.product.label],
  ['setting', (r) => r.query.setting],
  ['date_of_service', (r) => r.query.date ?? ''],
  ['coverage', (r) => r.coverage.status],
  ['coverage_statement', (r) => r.coverage.statement ?? r.coverage.reason ?? ''],
  ['authorization', (r) => r.authorization.status],
  ['authorization_statement', (r) => r.authorization.statement ?? r.authorization.reason ?? ''],
  ['policy_number', (r) => r.policy?.number ?? ''],
  ['policy_title', (r) => r.policy?.title ?? ''],
  ['policy_last_review', (r) => r.policy?.last_review ?? ''],
  ['data_version', (r) => r.data_version],
];

function csvField(value) {
  let text = String(value ?? '');
  // A cell starting with = + - @ would be run as a formula by spreadsheet programs.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Results (as evaluate returns them) as CSV text, one row per answer. */
export function resultsToCsv(results) {
  const lines = [csvColumns.map(([name]) => name).join(',')];
  for (const r of results) lines.push(csvColumns.map(([, pick]) => csvField(pick(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Offers `text` as a file download made in the page. */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text to the clipboard; falls back to a selected field when the API is unavailable. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.className = 'visually-hidden';
    document.body.append(field);
    field.select();
    const copied = document.execCommand?.('copy') ?? false;
    field.remove();
    return copied;
  }
}

/** A file name for an export: covercheck-47371-2026-11-24.csv */
export function exportName(codes, extension) {
  const list = codes.length > 3 ? `${codes.length}-codes` : codes.join('-');
  const today = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `covercheck-${list.replace(/[^A-Za-z0-9-]/g, '')}-${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}.${extension}`;
}
