import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** One row of a speech manifest (`file,label[,speaker,…]`), with `file` resolved to an absolute path. */
export interface ManifestRow {
  /** As written in the manifest (relative to it). */
  file: string;
  /** Absolute path. */
  path: string;
  label: string;
  /** `speaker` column, or '' when the manifest has none. */
  speaker: string;
  /** Every column, by header name. */
  columns: Record<string, string>;
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

/** Quotes a CSV field when it needs it. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Reads a manifest; `file` paths are relative to the manifest's folder. Needs `file` and `label` columns. */
export function readManifest(manifestPath: string): ManifestRow[] {
  const rows = parseCsv(readFileSync(manifestPath, 'utf8'));
  if (rows.length === 0) throw new Error(`${manifestPath}: empty manifest`);
  const header = rows[0].map((h) => h.trim());
  const fileIndex = header.indexOf('file');
  const labelIndex = header.indexOf('label');
  if (fileIndex < 0 || labelIndex < 0) throw new Error(`${manifestPath}: needs "file" and "label" columns (has ${header.join(', ')})`);
  const speakerIndex = header.indexOf('speaker');
  const base = dirname(resolve(manifestPath));
  return rows.slice(1).map((fields) => {
    const file = fields[fileIndex] ?? '';
    return {
      file,
      path: isAbsolute(file) ? file : resolve(base, file),
      label: (fields[labelIndex] ?? '').trim().toLowerCase(),
      speaker: speakerIndex >= 0 ? (fields[speakerIndex] ?? '').trim() : '',
      columns: Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])),
    };
  });
}
