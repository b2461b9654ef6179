/**
 * `npx tsx src/training/face/time-face.ts [--backend wasm|cpu] [--runs N]`
 *
 * Node speed proxy for the browser targets (a photo with 5 faces in ≤ 1 s; a camera at
 * ≥ 10 frames a second): times the app's `analyseImage` on face-api's demo photos (sample5: five
 * people, 1920×1398; sample6: four people, 1920×1537, where tiny also reports one false face),
 * on 640×480 frames made from them (camera size; 'video' mode), and on a 48-px crop. Median of warm runs (the first run, which compiles kernels and
 * lazily loads SSD, is reported apart). Browser numbers differ (WebGL); this is a proxy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { analyseImage, type AnalyseImageOptions } from '../../adapters/face/analyse-image.ts';
import { decodeImage } from './decode-image.ts';
import { loadFaceModelsInNode } from './node-face.ts';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(values.runs));
const { models, backend } = await loadFaceModelsInNode({ backend: values.backend === 'cpu' ? 'cpu' : 'wasm' });
const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
const photo = (n: number) => decodeImage(new Uint8Array(readFileSync(join(demo, `sample${n}.jpg`))));

const group6 = photo(6);
const group5 = photo(5);
const frame5 = tf.tidy(() => tf.image.resizeBilinear(group5, [480, 640]).toInt() as tf.Tensor3D);
// One face filling a webcam-like share of a 640×480 frame (cut from sample6, scaled ×1.2).
const frame1 = tf.tidy(() => tf.image.resizeBilinear(tf.slice(group6, [420, 100, 0], [500, 667, 3]), [480, 640]).toInt() as tf.Tensor3D);
const crop = tf.tidy(() => tf.image.resizeBilinear(tf.slice(group6, [500, 190, 0], [320, 320, 3]), [48, 48]).toInt() as tf.Tensor3D);

async function time(name: string, image: tf.Tensor3D, options: AnalyseImageOptions): Promise<void> {
  const t0 = performance.now();
  const first = await analyseImage(image, { models, ...options });
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await analyseImage(image, { models, ...options });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const { detect, classify } = first.timingsMs;
  console.log(
    `${name.padEnd(44)} faces ${String(first.faces.length).padStart(2)}  median ${median.toFixed(0).padStart(5)} ms (${(1000 / median).toFixed(1)}/s)  min ${times[0].toFixed(0)}  first ${firstMs.toFixed(0)} (detect ${detect.toFixed(0)}, classify ${classify.toFixed(0)})`,
  );
}

console.log(`backend ${backend}; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${runs} warm runs each`);
await time('photo 1920×1398, 5 people (sample5)', group5, { mode: 'photo' });
await time('photo 1920×1537, 4 people (sample6)', group6, { mode: 'photo' });
await time('photo 1920×1398, exhaustive (tiny + SSD)', group5, { mode: 'photo', exhaustive: true });
await time('camera frame 640×480, 1 face (video mode)', frame1, { mode: 'video' });
await time('camera frame 640×480, 5 people (video mode)', frame5, { mode: 'video' });
await time('camera frame 640×480, 1 face, no mirror', frame1, { mode: 'video', flip: false });
await time('48-px crop (photo mode)', crop, { mode: 'photo' });
tf.dispose([group6, group5, frame5, frame1, crop]);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
