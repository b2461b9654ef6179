import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { greyFaceCrops } from '../../adapters/face/grey-crops.ts';
import { centredSquare } from '../../core/face/face-boxes.ts';
import { parseCsvRecords } from '../music/csv.ts';
import { decodeImage } from './decode-image.ts';

/** What {@link exportFaces} wrote: `faces.u8` holds `count` images of `sizePx`² grey bytes, row-major. */
export interface FaceExportIndex {
  sizePx: number;
  count: number;
  files: string[];
  labels: string[];
}

/**
 * Reads a face manifest (`file`, `label`) and writes every image as the app would feed it to our
 * expression net — the whole image as one face (FER2013 images are tight 48 px crops, which the
 * app classifies whole), through {@link greyFaceCrops} — quantised to bytes in `outDir/faces.u8`
 * with `outDir/index.json`. An image that fails to decode stops the export with its name.
 */
export function exportFaces(manifestPath: string, outDir: string, sizePx: number): FaceExportIndex {
  const manifest = resolve(manifestPath);
  const rows = parseCsvRecords(readFileSync(manifest, 'utf8'));
  const bytes = new Uint8Array(rows.length * sizePx * sizePx);
  const files: string[] = [];
  const labels: string[] = [];
  rows.forEach((row, i) => {
    const path = join(dirname(manifest), row.file);
    let image: tf.Tensor3D;
    try {
      image = decodeImage(new Uint8Array(readFileSync(path)));
    } catch (error) {
      throw new Error(`${path}: ${String(error)}`, { cause: error });
    }
    const crop = greyFaceCrops(image, [centredSquare(image.shape[1], image.shape[0])], sizePx);
    const values = crop.dataSync();
    for (let j = 0; j < values.length; j++) bytes[i * sizePx * sizePx + j] = Math.max(0, Math.min(255, Math.round(values[j] * 255)));
    tf.dispose([image, crop]);
    files.push(row.file);
    labels.push(row.label);
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'faces.u8'), bytes);
  const index: FaceExportIndex = { sizePx, count: rows.length, files, labels };
  writeFileSync(join(outDir, 'index.json'), JSON.stringify(index));
  return index;
}
