/**
 * `npm run train:face -- --data ../shared/datasets/faces [options]`
 *
 * Reproduces models/face-expression/ from the FER2013 training images (`fer2013-train/`; the
 * test images are never read here):
 *  1. exports every image as the app feeds our net (`greyFaceCrops`, the app's own crop code);
 *  2. keeps a stratified fifth back as the tuning split (`tuningSplit`);
 *  3. trains the CNN in PyTorch on the rest (train_face.py: augmentation — crop/scale, rotation,
 *     shift, mirror, lighting, blur, occlusion — and class balancing; the tuning split picks the epoch);
 *  4. rebuilds it in tfjs-layers with those weights (parity-checked against PyTorch);
 *  5. reads the tuning images through the app's `analyseImage` with each net alone, picks the
 *     ensemble weight (best UAR) and fits the temperature there;
 *  6. writes model.json, weights.bin, metadata.json (the contract the app checks on load) and
 *     training-record.json.
 *
 * Options: --out DIR (models/face-expression) --cache DIR (node_modules/.cache/norae-face)
 *   --epochs N (40) --channels 32,64,128 --seed N (1) --python PATH (/usr/bin/python3) --reuse-features
 *   --reuse-run (keep the last PyTorch run: redo only steps 4–6)
 *   --experiment-finetune-faceapi EPOCHS,LR (after a run: fine-tune face-api's net instead and print
 *   its tuning figures — the comparison in the model card; writes no model)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { withRepoRelativePaths } from '../command-line.ts';
import { analyseImage } from '../../adapters/face/analyse-image.ts';
import { EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { IDENTITY_CALIBRATION, applyCalibration } from '../../core/face/calibration.ts';
import { combineExpressionProbabilities, FACE_EXPRESSION_CONTRACT_VERSION, FACE_EXPRESSION_FORMAT, type FaceExpressionMetadata } from '../../core/face/expression-contract.ts';
import { expressionIndexOfLabel, faceEmotionFromProbabilities, FACE_API_EXPRESSIONS, LABEL_OF_EXPRESSION } from '../../core/face/face-expressions.ts';
import { loadExportedWeights, serialiseLayersModel, type ExportedWeight } from '../speech/build-tfjs-model.ts';
import { decodeImage } from './decode-image.ts';
import { exportFaces, type FaceExportIndex } from './export-faces.ts';
import { buildFaceNet, faceNetParity } from './face-net.ts';
import { tuningSplit } from './face-split.ts';
import { crossFitCalibration, fitCalibration } from './fit-calibration.ts';
import { faceMetrics, type FaceEvalRow, type FaceMetrics } from './metrics.ts';
import { loadFaceModelsInNode } from './node-face.ts';

/** The net's input side, px: FER2013's own resolution (upsampling it would add no detail). */
const INPUT_PX = 48;
/** Ensemble weights tried for our net (0 = face-api's alone, 1 = ours alone). */
const OWN_WEIGHTS = Array.from({ length: 21 }, (_, i) => i / 20);

function fail(message: string): never {
  console.error(`train:face: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../../../models/face-expression', import.meta.url)) },
    cache: { type: 'string', default: fileURLToPath(new URL('../../../node_modules/.cache/norae-face', import.meta.url)) },
    epochs: { type: 'string', default: '40' },
    channels: { type: 'string', default: '32,64,128' },
    seed: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'reuse-features': { type: 'boolean', default: false },
    'reuse-run': { type: 'boolean', default: false },
    'experiment-finetune-faceapi': { type: 'string' },
  },
});
const data = values.data ?? fail('--data DIR (the folder holding fer2013-train/) is required');
const manifest = resolve(data, 'fer2013-train', 'manifest.csv');
if (!existsSync(manifest)) fail(`${manifest} not found`);
const seed = Number(values.seed);
const channels = values.channels.split(',').map(Number);
const cache = resolve(values.cache);
const outDir = resolve(values.out);
const classes = FACE_API_EXPRESSIONS.map((e) => LABEL_OF_EXPRESSION[e]);
const started = performance.now();
const log = (message: string) => console.log(`[train:face ${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);

// 1–2. Features and the tuning split (decoding and cropping on tfjs's cpu backend: no wasm to set up).
await tf.setBackend('cpu');
const featureDir = join(cache, 'train');
const index: FaceExportIndex =
  values['reuse-features'] && existsSync(join(featureDir, 'index.json')) ? (JSON.parse(readFileSync(join(featureDir, 'index.json'), 'utf8')) as FaceExportIndex) : exportFaces(manifest, featureDir, INPUT_PX);
if (index.sizePx !== INPUT_PX) fail(`cached features are ${index.sizePx} px; run without --reuse-features`);
const split = tuningSplit(index.labels, index.files, seed);
writeFileSync(join(cache, 'split.json'), JSON.stringify(split));
// The tuning split as a manifest, so `npm run eval:face` can check any pipeline choice on it.
writeFileSync(join(cache, 'tune-manifest.csv'), ['file,label', ...split.tune.map((i) => `${resolve(data, 'fer2013-train', index.files[i])},${index.labels[i]}`)].join('\n') + '\n');
log(`${index.count} images: train ${split.train.length}, tune ${split.tune.length}`);

// 3. PyTorch.
const runDir = join(cache, 'run');
if (values['experiment-finetune-faceapi']) {
  const [epochs, lr] = values['experiment-finetune-faceapi'].split(',');
  exportFaces(manifest, join(cache, 'train112'), 112);
  const run = spawnSync(values.python, [fileURLToPath(new URL('./finetune_faceapi.py', import.meta.url)), epochs, lr], { stdio: 'inherit', env: { ...process.env, NORAE_FACE_CACHE: cache } });
  process.exit(run.status ?? 1);
}
if (!(values['reuse-run'] && existsSync(join(runDir, 'export.json')))) {
  const python = spawnSync(
    values.python,
    [fileURLToPath(new URL('./train_face.py', import.meta.url)), '--data', featureDir, '--split', join(cache, 'split.json'), '--out', runDir, '--classes', classes.join(','), '--channels', channels.join(','), '--epochs', values.epochs, '--seed', String(seed)],
    { stdio: 'inherit' },
  );
  if (python.status !== 0) fail(`train_face.py failed (exit ${python.status ?? python.signal})`);
}
const exported = JSON.parse(readFileSync(join(runDir, 'export.json'), 'utf8')) as { weights: ExportedWeight[]; parameters: number; bestEpoch: number; history: unknown[]; referenceCount: number; settings: unknown };

// 4. tfjs, parity-checked.
const model = buildFaceNet(INPUT_PX, channels, classes.length);
loadExportedWeights(model, runDir, exported.weights);
const parity = faceNetParity(model, runDir, exported.referenceCount, INPUT_PX);
if (!(parity < 1e-4)) fail(`tfjs and PyTorch disagree by ${parity}`);
log(`tfjs parity with PyTorch: max |Δp| ${parity.toExponential(1)}`);
const { modelJson, weights } = await serialiseLayersModel(model);

function metadataWith(ownWeight: number, calibration = IDENTITY_CALIBRATION, metrics: FaceMetrics | null = null): FaceExpressionMetadata & Record<string, unknown> {
  return {
    format: FACE_EXPRESSION_FORMAT,
    contractVersion: FACE_EXPRESSION_CONTRACT_VERSION,
    input: { sizePx: INPUT_PX, channels: 1 },
    classes: [...FACE_API_EXPRESSIONS],
    ensemble: { ownWeight },
    calibration: { temperature: Number(calibration.temperature.toFixed(4)), biasLogit: calibration.biasLogit.map((b) => Number(b.toFixed(4))) },
    reliability: {
      perEmotion: Object.fromEntries(EMOTIONS.map((l) => [l, Number((metrics?.recall[l] ?? 0).toFixed(4))])) as Partial<Record<EmotionLabel, number>>,
      valence: Number((metrics?.valenceCorrelation ?? 0).toFixed(4)),
      arousal: Number((metrics?.arousalCorrelation ?? 0).toFixed(4)),
    },
  };
}
function writeModel(dir: string, metadata: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, 'weights.bin'), weights);
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(metadata, null, 2) + '\n');
}

// 5. Both nets on the tuning images, through the app's analysis; the ensemble and temperature.
const candidateDir = join(cache, 'candidate');
writeModel(candidateDir, metadataWith(1));
const { models } = await loadFaceModelsInNode({ expressionModelUrl: candidateDir, calibration: IDENTITY_CALIBRATION });
const toFaceApiOrder = (d: Record<EmotionLabel, number>) => FACE_API_EXPRESSIONS.map((e) => d[LABEL_OF_EXPRESSION[e]]);
const readings: { label: EmotionLabel; own: number[]; faceApi: number[] }[] = [];
for (const i of split.tune) {
  const image = decodeImage(new Uint8Array(readFileSync(resolve(data, 'fer2013-train', index.files[i]))));
  try {
    // FER2013 images are 48 px crops, which the app classifies whole (the small-crop rule): skip detection.
    const own = await analyseImage(image, { models, nets: 'own', assumeFace: true, calibration: IDENTITY_CALIBRATION });
    const faceApi = await analyseImage(image, { models, nets: 'face-api', assumeFace: true, calibration: IDENTITY_CALIBRATION });
    readings.push({ label: index.labels[i] as EmotionLabel, own: toFaceApiOrder(own.faces[0].distribution), faceApi: toFaceApiOrder(faceApi.faces[0].distribution) });
  } finally {
    image.dispose();
  }
  if (readings.length % 300 === 0) log(`  ${readings.length}/${split.tune.length} tuning images read`);
}
models.dispose();
log(`read ${readings.length} tuning images with both nets`);
const rowsFor = (probabilities: number[][]): FaceEvalRow[] =>
  probabilities.map((p, i) => {
    const e = faceEmotionFromProbabilities(p);
    return { label: readings[i].label, predicted: e.top, distribution: e.distribution, valence: e.valence, arousal: e.arousal };
  });
const targets = readings.map((r) => expressionIndexOfLabel(r.label));
const byWeight = OWN_WEIGHTS.map((w) => {
  const combined = readings.map((r) => combineExpressionProbabilities(r.own, r.faceApi, w));
  return { ownWeight: w, combined, metrics: faceMetrics(rowsFor(combined)) };
});
for (const b of byWeight) log(`  own weight ${b.ownWeight.toFixed(2)}: tune UAR ${b.metrics.uar.toFixed(3)}  accuracy ${b.metrics.accuracy.toFixed(3)}`);
const best = byWeight.reduce((a, b) => (b.metrics.uar > a.metrics.uar + 1e-9 ? b : a));
// Temperature alone, or with per-class biases (which can lift a rarely chosen class such as
// fearful): 5-fold cross-fitting inside the tuning split decides, by UAR.
const kinds = (['temperature', 'temperature+bias'] as const).map((kind) => {
  const { calibrated: crossFitted } = crossFitCalibration(best.combined, targets, readings.map((_, i) => String(i)), { kind, folds: 5, seed });
  return { kind, metrics: faceMetrics(rowsFor(crossFitted)) };
});
for (const k of kinds) log(`  calibration ${k.kind}, 5-fold inside the tuning split: UAR ${k.metrics.uar.toFixed(3)}, fearful ${k.metrics.recall.fearful.toFixed(3)}, angry ${k.metrics.recall.angry.toFixed(3)}`);
const kind = kinds[1].metrics.uar > kinds[0].metrics.uar ? kinds[1].kind : kinds[0].kind;
const calibration = fitCalibration(best.combined, targets, { kind });
const calibrated = faceMetrics(rowsFor(best.combined.map((p) => applyCalibration(p, calibration))));
log(`chosen own weight ${best.ownWeight}; ${kind}: T = ${calibration.temperature.toFixed(3)}, b = [${calibration.biasLogit.map((b) => b.toFixed(2)).join(', ')}]; tune UAR ${calibrated.uar.toFixed(3)}, NLL ${calibrated.meanNll.toFixed(3)}, ECE ${calibrated.ece.toFixed(3)}`);

// 6. What ships.
const r4 = (x: number) => Number(x.toFixed(4));
const pick = (m: FaceMetrics) => ({
  accuracy: r4(m.accuracy),
  uar: r4(m.uar),
  meanNll: r4(m.meanNll),
  ece: r4(m.ece),
  recall: Object.fromEntries(Object.entries(m.recall).map(([l, v]) => [l, r4(v)])),
  valence: r4(m.valenceCorrelation),
  arousal: r4(m.arousalCorrelation),
});
writeModel(outDir, {
  ...metadataWith(best.ownWeight, calibration, calibrated),
  tuning: {
    note: 'A stratified fifth of fer2013-train, never trained on; it chose the epoch, the ensemble weight and the temperature, so these figures are not held-out.',
    images: readings.length,
    calibrationKind: kind,
    calibrationCrossFitted: Object.fromEntries(kinds.map((k) => [k.kind, pick(k.metrics)])),
    ensemble: pick(calibrated),
    ownAlone: pick(byWeight[byWeight.length - 1].metrics),
    faceApiAlone: pick(byWeight[0].metrics),
  },
  training: { images: split.train.length, epochs: Number(values.epochs), bestEpoch: exported.bestEpoch, parameters: exported.parameters, channels, seed },
});
writeFileSync(join(outDir, 'training-record.json'), JSON.stringify({ settings: withRepoRelativePaths(exported.settings), history: exported.history, byWeight: byWeight.map((b) => ({ ownWeight: b.ownWeight, ...pick(b.metrics) })), parity }, null, 1) + '\n');
log(`wrote ${outDir} (${(weights.byteLength / 1024).toFixed(0)} KiB of weights)`);
