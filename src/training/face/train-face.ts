/**
 * `npm run train:face -- --data ../shared/datasets/faces [options]`
 *
 * Reproduces models/face-expression/ from the FER2013 training images (`fer2013-train/`, with
 * their FER+ votes) and the posed tuning faces (`ckplus48-tune/`); the test images are never read here:
 *  1. exports every image as the app feeds our net (`greyFaceCrops`, the app's own crop code);
 *  2. keeps a stratified fifth back as the in-the-wild tuning split (`tuningSplit`);
 *  3. trains the CNN in PyTorch on the rest (train_face.py: augmentation — crop/scale, rotation,
 *     shift, mirror, lighting, blur, occlusion — and class balancing; --target says whether it
 *     learns the FER2013 label or a mix with the FER+ vote distribution; the tuning split picks the epoch);
 *  4. rebuilds it in tfjs-layers with those weights (parity-checked against PyTorch);
 *  5. reads the tuning split and the posed set through the app's `analyseImage` with each net
 *     alone, chooses the ensemble (own weight and the per-face face-api trust rule) by mean UAR
 *     among the ensembles at or above face-api alone on every set (`chooseEnsemble`), checks the
 *     choice on the posed set by subject folds, and fits the temperature on both sets;
 *  6. writes model.json, weights.bin, metadata.json (the contract the app checks on load) and
 *     training-record.json.
 *
 * Options: --out DIR (models/face-expression) --cache DIR (node_modules/.cache/norae-face)
 *   --epochs N (20) --channels 32,64,128 --seed N (1) --target hard|soft|votes (soft)
 *   --label-weight X (0.5: the FER2013 label's share of a 'soft' target) --python PATH (/usr/bin/python3)
 *   --reuse-features --reuse-run (keep the last PyTorch run: redo only steps 4–6)
 *   --reuse-model DIR (take the net in DIR as it is — e.g. the shipped one — and redo only steps 5–6;
 *   its training figures are copied from DIR's metadata and record)
 *   --experiment-finetune-faceapi EPOCHS,LR (after a run: fine-tune face-api's net instead and print
 *   its tuning figures — the comparison in the model card; writes no model)
 * PyTorch runs on one thread, so threading cannot reorder float sums between runs (meant to make
 * the same command write the same bytes; not yet checked by a second full run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { repoRelative, withRepoRelativePaths } from '../command-line.ts';
import { analyseImage } from '../../adapters/face/analyse-image.ts';
import { EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { IDENTITY_CALIBRATION, applyCalibration } from '../../core/face/calibration.ts';
import { FACE_EXPRESSION_CONTRACT_VERSION, FACE_EXPRESSION_FORMAT, type FaceEnsemble, type FaceExpressionMetadata } from '../../core/face/expression-contract.ts';
import { isFaceAnalysisError } from '../../core/face/face-errors.ts';
import { expressionIndexOfLabel, faceEmotionFromProbabilities, FACE_API_EXPRESSIONS, LABEL_OF_EXPRESSION } from '../../core/face/face-expressions.ts';
import { loadExportedWeights, serialiseLayersModel, type ExportedWeight } from '../speech/build-tfjs-model.ts';
import { decodeImage } from './decode-image.ts';
import { exportFaces, type FaceExportIndex } from './export-faces.ts';
import { FER_PLUS_COLUMNS, ferPlusMajority, ferPlusVotes } from './fer-plus.ts';
import { parseCsvRecords } from '../music/csv.ts';
import { buildFaceNet, faceNetParity } from './face-net.ts';
import { tuningSplit } from './face-split.ts';
import { fitCalibration } from './fit-calibration.ts';
import { chooseEnsemble, crossCheckChoice, ensembleReading, uarOf, type TuningSet, type TwoNetReading } from './choose-ensemble.ts';
import { faceMetrics, type FaceMetrics } from './metrics.ts';
import { loadFaceModelsInNode } from './node-face.ts';

/** The net's input side, px: FER2013's own resolution (upsampling it would add no detail). */
const INPUT_PX = 48;
/**
 * Ensembles tried: our net's weight (0 = face-api's alone, 1 = ours alone) × the per-face rule
 * (face-api's reading alone where its top probability reaches the threshold; none = never).
 */
const ENSEMBLE_CANDIDATES: FaceEnsemble[] = [undefined, 0.999, 0.99, 0.95, 0.9, 0.8, 0.7].flatMap((faceApiTrustAbove) =>
  Array.from({ length: 20 }, (_, i) => (i + 1) / 20).map((ownWeight) => (faceApiTrustAbove === undefined ? { ownWeight } : { ownWeight, faceApiTrustAbove })),
);
/** Subject-grouped folds for the honest posed figure. */
const POSED_FOLDS = 5;

function fail(message: string): never {
  console.error(`train:face: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../../../models/face-expression', import.meta.url)) },
    cache: { type: 'string', default: fileURLToPath(new URL('../../../node_modules/.cache/norae-face', import.meta.url)) },
    epochs: { type: 'string', default: '20' },
    channels: { type: 'string', default: '32,64,128' },
    seed: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    target: { type: 'string', default: 'soft' },
    'label-weight': { type: 'string', default: '0.5' },
    'reuse-features': { type: 'boolean', default: false },
    'reuse-run': { type: 'boolean', default: false },
    'reuse-model': { type: 'string' },
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
// The FER+ votes per image (in the net's class order), read from the manifest the crops came from.
const manifestRows = parseCsvRecords(readFileSync(manifest, 'utf8'));
if (manifestRows.length !== index.count || manifestRows.some((r, i) => r.file !== index.files[i])) fail('cached features do not match the manifest; run without --reuse-features');
writeFileSync(join(cache, 'votes.json'), JSON.stringify(manifestRows.map((r) => ferPlusVotes(r, classes))));
// The tuning split as a manifest, so `npm run eval:face` can check any pipeline choice on it.
// With its FER+ votes, so eval:face also scores it against their majority.
const voteColumns = Object.keys(FER_PLUS_COLUMNS);
writeFileSync(
  join(cache, 'tune-manifest.csv'),
  [['file', 'label', ...voteColumns].join(','), ...split.tune.map((i) => [resolve(data, 'fer2013-train', index.files[i]), index.labels[i], ...voteColumns.map((c) => manifestRows[i][c] ?? '')].join(','))].join('\n') + '\n',
);
log(`${index.count} images: train ${split.train.length}, tune ${split.tune.length}`);

// 3. PyTorch.
const runDir = join(cache, 'run');
if (values['experiment-finetune-faceapi']) {
  const [epochs, lr] = values['experiment-finetune-faceapi'].split(',');
  exportFaces(manifest, join(cache, 'train112'), 112);
  const run = spawnSync(values.python, [fileURLToPath(new URL('./finetune_faceapi.py', import.meta.url)), epochs, lr], { stdio: 'inherit', env: { ...process.env, NORAE_FACE_CACHE: cache } });
  process.exit(run.status ?? 1);
}
interface Exported {
  weights: ExportedWeight[];
  parameters: number;
  bestEpoch: number;
  history: unknown[];
  referenceCount: number;
  settings: unknown;
}
/** Steps 3–4: a new net from PyTorch, rebuilt in tfjs and parity-checked. */
async function trainNet(): Promise<{ modelJson: object; weights: Uint8Array; exported: Exported; parity: number | null }> {
  if (!(values['reuse-run'] && existsSync(join(runDir, 'export.json')))) {
    const python = spawnSync(
      values.python,
      [fileURLToPath(new URL('./train_face.py', import.meta.url)), '--data', featureDir, '--split', join(cache, 'split.json'), '--out', runDir, '--classes', classes.join(','), '--channels', channels.join(','), '--epochs', values.epochs, '--seed', String(seed), '--votes', join(cache, 'votes.json'), '--target', values.target, '--label-weight', values['label-weight']],
      { stdio: 'inherit' },
    );
    if (python.status !== 0) fail(`train_face.py failed (exit ${python.status ?? python.signal})`);
  }
  const exported = JSON.parse(readFileSync(join(runDir, 'export.json'), 'utf8')) as Exported;
  const model = buildFaceNet(INPUT_PX, channels, classes.length);
  loadExportedWeights(model, runDir, exported.weights);
  const parity = faceNetParity(model, runDir, exported.referenceCount, INPUT_PX);
  if (!(parity < 1e-4)) fail(`tfjs and PyTorch disagree by ${parity}`);
  log(`tfjs parity with PyTorch: max |Δp| ${parity.toExponential(1)}`);
  return { ...(await serialiseLayersModel(model)), exported, parity };
}
/**
 * --reuse-model DIR: an already trained net (its model.json, weights.bin and the training facts in
 * its metadata and record), so that only the ensemble is chosen again (steps 5–6).
 */
function reusedNet(dir: string): { modelJson: object; weights: Uint8Array; exported: Exported; parity: number | null; training: object } {
  const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { training: { parameters: number; bestEpoch: number; channels: number[] } };
  const record = JSON.parse(readFileSync(join(dir, 'training-record.json'), 'utf8')) as { settings: unknown; history: unknown[]; parity: number };
  if (metadata.training.channels.join(',') !== channels.join(',')) fail(`--reuse-model: that net has channels ${metadata.training.channels.join(',')}; pass --channels ${metadata.training.channels.join(',')}`);
  return {
    modelJson: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as object,
    weights: new Uint8Array(readFileSync(join(dir, 'weights.bin'))),
    exported: { weights: [], parameters: metadata.training.parameters, bestEpoch: metadata.training.bestEpoch, history: record.history, referenceCount: 0, settings: record.settings },
    parity: record.parity,
    training: { ...metadata.training, reused: 'the net was not retrained: only the ensemble and the temperature were chosen again (--reuse-model)' },
  };
}
const net = values['reuse-model'] ? reusedNet(resolve(values['reuse-model'])) : { ...(await trainNet()), training: null };
const { modelJson, weights, exported, parity } = net;

function metadataWith(ensemble: FaceEnsemble, calibration = IDENTITY_CALIBRATION, metrics: FaceMetrics | null = null): FaceExpressionMetadata & Record<string, unknown> {
  return {
    format: FACE_EXPRESSION_FORMAT,
    contractVersion: FACE_EXPRESSION_CONTRACT_VERSION,
    input: { sizePx: INPUT_PX, channels: 1 },
    classes: [...FACE_API_EXPRESSIONS],
    ensemble,
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

// 5. Both nets on both tuning sets, through the app's analysis; the ensemble and temperature.
const candidateDir = join(cache, 'candidate');
writeModel(candidateDir, metadataWith({ ownWeight: 1 }));
const { models } = await loadFaceModelsInNode({ expressionModelUrl: candidateDir, calibration: IDENTITY_CALIBRATION });
const toFaceApiOrder = (d: Record<EmotionLabel, number>) => FACE_API_EXPRESSIONS.map((e) => d[LABEL_OF_EXPRESSION[e]]);
// face-api's readings do not change between runs (its weights are bundled): with --reuse-features
// they are kept in the cache too, keyed by image and framing, so a rerun reads only our net.
const faceApiCacheFile = join(cache, 'face-api-readings.json');
const faceApiCache = new Map<string, number[] | null>(values['reuse-features'] && existsSync(faceApiCacheFile) ? (Object.entries(JSON.parse(readFileSync(faceApiCacheFile, 'utf8'))) as [string, number[] | null][]) : []);
/** Reads one image with each net alone (uncalibrated); null readings where the app finds no face. */
async function readBoth(path: string, assumeFace: boolean): Promise<{ own: number[] | null; faceApi: number[] | null }> {
  const key = `${repoRelative(path)}|${assumeFace ? 'whole' : 'photo'}`;
  const image = decodeImage(new Uint8Array(readFileSync(path)));
  try {
    const read = async (nets: 'own' | 'face-api') => toFaceApiOrder((await analyseImage(image, { models, nets, assumeFace, calibration: IDENTITY_CALIBRATION })).faces[0].distribution);
    const own = await read('own');
    if (!faceApiCache.has(key)) faceApiCache.set(key, await read('face-api'));
    return { own, faceApi: faceApiCache.get(key) ?? null };
  } catch (error) {
    if (isFaceAnalysisError(error, 'no-face')) return { own: null, faceApi: null };
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    image.dispose();
  }
}
interface Read extends TwoNetReading {
  label: EmotionLabel;
}
const wild: Read[] = [];
const wildFerPlus: Read[] = [];
for (const i of split.tune) {
  // FER2013 images are 48 px crops, which the app classifies whole (the small-crop rule): skip detection.
  const both = await readBoth(resolve(data, 'fer2013-train', index.files[i]), true);
  const label = index.labels[i] as EmotionLabel;
  wild.push({ ...both, label, target: expressionIndexOfLabel(label), group: index.files[i] });
  const majority = ferPlusMajority(manifestRows[i]);
  if (majority) wildFerPlus.push({ ...both, label: majority, target: expressionIndexOfLabel(majority), group: index.files[i] });
  if (wild.length % 500 === 0) log(`  ${wild.length}/${split.tune.length} in-the-wild tuning images read`);
}
// CK+ posed faces, read as the app reads a photo (detection and framing as shipped). Contempt has
// no class in either net, so it cannot be chosen for; the card reports it.
const posedManifest = resolve(data, 'ckplus48-tune', 'manifest.csv');
if (!existsSync(posedManifest)) fail(`${posedManifest} not found: the ensemble is chosen on posed faces too`);
const posedRows = parseCsvRecords(readFileSync(posedManifest, 'utf8')).filter((r) => r.label !== 'contempt');
const posed: Read[] = [];
for (const r of posedRows) {
  const label = r.label as EmotionLabel;
  posed.push({ ...(await readBoth(resolve(data, 'ckplus48-tune', r.file), false)), label, target: expressionIndexOfLabel(label), group: r.subject || r.file });
}
models.dispose();
writeFileSync(faceApiCacheFile, JSON.stringify(Object.fromEntries(faceApiCache)));
log(`read ${wild.length} in-the-wild (${wildFerPlus.length} with a clear FER+ majority) and ${posed.length} posed tuning images with both nets (${posed.filter((r) => !r.own).length} posed without a face)`);
const sets: TuningSet[] = [
  { name: 'wild', readings: wild },
  { name: 'wildFerPlus', readings: wildFerPlus },
  { name: 'posed', readings: posed },
];
const { chosen, table } = chooseEnsemble(sets, ENSEMBLE_CANDIDATES);
for (const t of table.filter((t) => t.ensemble.faceApiTrustAbove === chosen.faceApiTrustAbove || t.ensemble.ownWeight === chosen.ownWeight)) {
  log(`  w ${t.ensemble.ownWeight.toFixed(2)} trust ≥ ${t.ensemble.faceApiTrustAbove ?? 'never'}: UAR ${sets.map((x) => `${x.name} ${t.uar[x.name].toFixed(3)}`).join('  ')}${t.feasible ? '' : '  (below face-api alone)'}`);
}
// The posed set also chose: its honest figure comes from subject-grouped folds, each read with
// the ensemble chosen without its subjects.
const posedCheck = crossCheckChoice(sets, 'posed', ENSEMBLE_CANDIDATES, POSED_FOLDS, seed);
// Temperature only: per-class biases would move decisions, which the choice above has settled.
const pooled = [...wild, ...posed].filter((r) => r.own && r.faceApi);
const calibration = fitCalibration(pooled.map((r) => ensembleReading(r, chosen) as number[]), pooled.map((r) => r.target), { kind: 'temperature' });
const calibrate = (p: number[] | null) => (p ? applyCalibration(p, calibration) : null);
log(`chosen: own weight ${chosen.ownWeight}, face-api trusted above ${chosen.faceApiTrustAbove ?? 'never'}; T = ${calibration.temperature.toFixed(3)}; posed UAR by subject folds ${uarOf(posed, posedCheck.probabilities).toFixed(3)} (choices ${posedCheck.chosen.map((e) => `${e.ownWeight}/${e.faceApiTrustAbove ?? '-'}`).join(', ')})`);

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
const metricsOf = (readings: readonly Read[], probabilities: readonly (number[] | null)[]): FaceMetrics =>
  faceMetrics(
    readings.map((r, i) => {
      const p = probabilities[i];
      if (!p) return { label: r.label, predicted: null, distribution: null, valence: null, arousal: null };
      const e = faceEmotionFromProbabilities(p);
      return { label: r.label, predicted: e.top, distribution: e.distribution, valence: e.valence, arousal: e.arousal };
    }),
  );
const figures = (readings: readonly Read[]) => ({
  images: readings.length,
  faceApiAlone: pick(metricsOf(readings, readings.map((r) => r.faceApi))),
  ownAlone: pick(metricsOf(readings, readings.map((r) => r.own))),
  ensemble: pick(metricsOf(readings, readings.map((r) => calibrate(ensembleReading(r, chosen))))),
});
const wildShipped = metricsOf(wild, wild.map((r) => calibrate(ensembleReading(r, chosen))));
writeModel(outDir, {
  ...metadataWith(chosen, calibration, wildShipped),
  tuning: {
    note:
      'Tuning figures, not held-out: these images chose the epoch (wild), the ensemble and the temperature (all). Posed subjectFolds: each subject read with the ensemble chosen without it.' +
      (values['reuse-model'] ? ' The net was reused (--reuse-model), not trained on this split: it may have trained on some of these wild images, so its wild figures are optimistic.' : ''),
    choice: 'Best mean UAR over wild, wildFerPlus and posed among the ensembles at or above face-api alone on each',
    wild: { set: 'a stratified fifth of fer2013-train, FER2013 labels', ...figures(wild) },
    wildFerPlus: { set: 'the same images with a clear FER+ majority, scored against it', ...figures(wildFerPlus) },
    posed: {
      set: 'ckplus48-tune without contempt (no class for it), read as a photo',
      subjects: new Set(posed.map((r) => r.group)).size,
      ...figures(posed),
      subjectFolds: { folds: POSED_FOLDS, chosen: posedCheck.chosen, ensemble: pick(metricsOf(posed, posedCheck.probabilities.map(calibrate))) },
    },
  },
  training: net.training ?? { images: split.train.length, epochs: Number(values.epochs), bestEpoch: exported.bestEpoch, parameters: exported.parameters, channels, seed, target: values.target },
});
const tableRecord = table.map((t) => ({ ...t.ensemble, feasible: t.feasible, uar: Object.fromEntries(Object.entries(t.uar).map(([k, v]) => [k, r4(v)])) }));
writeFileSync(join(outDir, 'training-record.json'), JSON.stringify({ settings: withRepoRelativePaths(exported.settings), history: exported.history, ensembles: tableRecord, parity }, null, 1) + '\n');
log(`wrote ${outDir} (${(weights.byteLength / 1024).toFixed(0)} KiB of weights)`);
