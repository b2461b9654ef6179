import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textFeatureIndices, type TextFeatureSpec } from '../../core/text/text-features.ts';

/**
 * Writes the texts' features as train_text.py reads them, computed by the app's own
 * `textFeatureIndices`: DIR/indices.u32 (every text's rows, concatenated, little-endian) and
 * DIR/offsets.u32 (n + 1 offsets into it). The net is trained on exactly what the app reads.
 */
export function exportTextFeatures(texts: readonly string[], spec: TextFeatureSpec, dir: string): { texts: number; features: number } {
  const parts: Uint32Array[] = [];
  const offsets = new Uint32Array(texts.length + 1);
  let total = 0;
  texts.forEach((text, i) => {
    const indices = textFeatureIndices(text, spec);
    parts.push(indices);
    total += indices.length;
    offsets[i + 1] = total;
  });
  const flat = new Uint32Array(total);
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'indices.u32'), littleEndian(flat));
  writeFileSync(join(dir, 'offsets.u32'), littleEndian(offsets));
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec) + '\n');
  return { texts: texts.length, features: total };
}

/** Reads back what {@link exportTextFeatures} wrote: one Uint32Array per text. */
export function readTextFeatures(dir: string): Uint32Array[] {
  const read = (name: string) => {
    const b = readFileSync(join(dir, name));
    const out = new Uint32Array(b.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = b.readUInt32LE(i * 4);
    return out;
  };
  const flat = read('indices.u32');
  const offsets = read('offsets.u32');
  return Array.from({ length: offsets.length - 1 }, (_, i) => flat.subarray(offsets[i], offsets[i + 1]));
}

/** A typed array's bytes in little-endian order (whatever the host's order). */
function littleEndian(a: Uint32Array | Float32Array): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  if (a instanceof Uint32Array) a.forEach((v, i) => view.setUint32(i * 4, v, true));
  else a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** Writes a row-major float32 matrix, little-endian. */
export function writeFloat32(path: string, values: Float32Array): void {
  writeFileSync(path, littleEndian(values));
}

/** Reads a little-endian float32 file as `columns`-wide rows. */
export function readFloat32Rows(path: string, columns: number): Float32Array[] {
  const b = readFileSync(path);
  const n = b.byteLength / 4 / columns;
  if (!Number.isInteger(n)) throw new Error(`${path}: ${b.byteLength} bytes is not a whole number of ${columns}-column rows`);
  return Array.from({ length: n }, (_, r) => {
    const row = new Float32Array(columns);
    for (let c = 0; c < columns; c++) row[c] = b.readFloatLE((r * columns + c) * 4);
    return row;
  });
}
