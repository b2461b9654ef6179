/**
 * `npm run eval:face -- MANIFEST.csv --out PREDICTIONS.csv [options]`
 *
 * Runs the app's own face analysis (`analyseImage`, same code as the browser) in Node on every
 * image of a manifest (columns `file`, `label`; optional `subject` groups the CV folds; paths
 * relative to the manifest), writes one prediction row per image and prints accuracy, UAR and
 * detection rate. A bad image gets an error row; the run carries on.
 *
 * Options:
 *   --out PATH            predictions CSV (file,label,predicted,detected,detector,reason,error,p_<8 labels>,valence,arousal,ms)
 *   --no-flip             classify each face once (no mirror averaging)
 *   --align               level the eyes with the landmark net first
 *   --assume-face         skip detection: every image is a face crop
 *   --exhaustive          photo mode: run SSD even when tiny found faces
 *   --detector-crop       classify the detector's crop even when the face fills the image (measures that rule)
 *   --nets N              'ensemble' (default: what the app runs), 'face-api' or 'own' (each net alone)
 *   --calibration X       'shipped' (default: the temperature in models/face-expression/metadata.json, fitted
 *                         for the ensemble), 'none', 'cv', or a JSON path.
 *                         'cv' = cross-fitted: each image calibrated by a fit on the folds without it.
 *   --kind K              what 'cv' / --fit-out fit: 'temperature' (default) or 'temperature+bias'
 *   --folds N --seed S    CV folds (default 5) and seed (default 1)
 *   --fit-out PATH        also fit a calibration on ALL rows and write it (what ships), with the CV figures
 *   --summary-json PATH   write the figures as JSON
 *   --personal K[,K…]     also read each image with a personal calibration fitted on K other labelled images
 *                         of the same `subject` (seeded random draws, never the image itself; the app's own
 *                         fitPersonalCalibration with its leave-one-out gate), mean over --personal-draws (5);
 *                         frames of the same sequence (file names NAME_<frame>.png) are never drawn for each other
 *   --limit N             first N rows only (smoke runs)
 * Where the manifest has FER+ vote columns (fp_*), the readings are also scored against each image's
 * clear FER+ majority (`ferPlusMajority`; images without one are left out of that score).
 *   --backend wasm|cpu    tfjs backend (default wasm)
 *   --model DIR           our expression net from DIR instead of models/face-expression (a candidate;
 *                         its metadata.json gives the ensemble and, with 'shipped', the calibration)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { analyseImage } from '../../adapters/face/analyse-image.ts';
import { EMOTIONS, EMOTION_COORDINATES, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { PERSONAL_LABELS } from '../../core/emotion/personal-answers.ts';
import { personalCurve, type PersonalEvalItem } from '../personal-eval.ts';
import { IDENTITY_CALIBRATION, parseFaceCalibration, type FaceCalibration } from '../../core/face/calibration.ts';
import { parseFaceExpressionMetadata } from '../../core/face/expression-contract.ts';
import { isFaceAnalysisError } from '../../core/face/face-errors.ts';
import { expressionIndexOfLabel, faceEmotionFromProbabilities, FACE_API_EXPRESSIONS, LABEL_OF_EXPRESSION } from '../../core/face/face-expressions.ts';
import { formatCsv, parseCsvRecords } from '../music/csv.ts';
import { decodeImage } from './decode-image.ts';
import { crossFitCalibration, fitCalibration, type CalibrationKind } from './fit-calibration.ts';
import { faceMetrics, type FaceEvalRow, type FaceMetrics } from './metrics.ts';
import { ferPlusMajority } from './fer-plus.ts';
import { loadFaceModelsInNode } from './node-face.ts';

interface Result {
  file: string;
  label: EmotionLabel;
  group: string;
  /** Net probabilities (face-api order) after flip and the analysis-time calibration; null without a reading. */
  probabilities: number[] | null;
  detected: boolean;
  detector: string;
  reason: string;
  error: string;
  ms: number;
}

function fail(message: string): never {
  console.error(`eval:face: ${message}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    'no-flip': { type: 'boolean', default: false },
    align: { type: 'boolean', default: false },
    'assume-face': { type: 'boolean', default: false },
    exhaustive: { type: 'boolean', default: false },
    'detector-crop': { type: 'boolean', default: false },
    nets: { type: 'string', default: 'ensemble' },
    calibration: { type: 'string', default: 'shipped' },
    kind: { type: 'string', default: 'temperature' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    'fit-out': { type: 'string' },
    'summary-json': { type: 'string' },
    limit: { type: 'string' },
    personal: { type: 'string' },
    'personal-draws': { type: 'string', default: '5' },
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string' },
  },
});
const manifestPath = positionals[0] ?? fail('usage: npm run eval:face -- MANIFEST.csv --out PREDICTIONS.csv');
const outPath = values.out ?? fail('--out PREDICTIONS.csv is required');
const kind = values.kind as CalibrationKind;
if (kind !== 'temperature' && kind !== 'temperature+bias') fail(`--kind must be temperature or temperature+bias, not ${kind}`);
const folds = Number(values.folds);
const seed = Number(values.seed);
const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
const nets = values.nets;
if (nets !== 'ensemble' && nets !== 'face-api' && nets !== 'own') fail(`--nets must be ensemble, face-api or own, not ${nets}`);

const records = parseCsvRecords(readFileSync(manifestPath, 'utf8'));
if (records.length === 0 || !('file' in records[0]) || !('label' in records[0])) fail(`${manifestPath}: needs a header with 'file' and 'label'`);
const limit = values.limit ? Number(values.limit) : records.length;
const rows = records.slice(0, limit);
const base = dirname(resolve(manifestPath));

// 'cv' and 'none' analyse with the identity; 'cv' then cross-fits on those raw probabilities.
let analysisCalibration: FaceCalibration;
if (values.calibration === 'none' || values.calibration === 'cv') analysisCalibration = IDENTITY_CALIBRATION;
else if (values.calibration === 'shipped') analysisCalibration = parseFaceExpressionMetadata(JSON.parse(readFileSync(values.model ? resolve(values.model, 'metadata.json') : new URL('../../../models/face-expression/metadata.json', import.meta.url), 'utf8'))).calibration;
else analysisCalibration = parseFaceCalibration(JSON.parse(readFileSync(values.calibration, 'utf8')));

const { models, backend: activeBackend } = await loadFaceModelsInNode({ backend, calibration: analysisCalibration, ...(values.model ? { expressionModelUrl: resolve(values.model) } : {}) });
console.error(`eval:face: ${rows.length} images, nets ${nets} (own weight ${nets === 'ensemble' ? models.expression?.metadata.ensemble.ownWeight : nets === 'own' ? 1 : 0}), backend ${activeBackend}, flip ${!values['no-flip']}, align ${values.align}, calibration ${values.calibration}`);

const results: Result[] = [];
const started = performance.now();
for (const [index, record] of rows.entries()) {
  const label = (EMOTIONS as readonly string[]).includes(record.label) ? (record.label as EmotionLabel) : null;
  const result: Result = { file: record.file, label: label ?? 'neutral', group: record.subject || record.file, probabilities: null, detected: false, detector: 'none', reason: '', error: '', ms: 0 };
  const t0 = performance.now();
  let image: tf.Tensor3D | null = null;
  try {
    if (!label) throw new Error(`unknown label '${record.label}'`);
    image = decodeImage(new Uint8Array(readFileSync(resolve(base, record.file))));
    const analysis = await analyseImage(image, {
      models,
      flip: !values['no-flip'],
      align: values.align,
      assumeFace: values['assume-face'],
      exhaustive: values.exhaustive,
      framing: values['detector-crop'] ? 'detector-crop' : 'auto',
      nets,
      calibration: analysisCalibration,
    });
    const face = analysis.faces[0];
    result.probabilities = FACE_API_EXPRESSIONS.map((e) => face.distribution[LABEL_OF_EXPRESSION[e]]);
    result.detected = true;
    result.detector = face.detector;
    result.reason = analysis.imageIsFace ? (analysis.imageIsFaceReason ?? '') : 'detector-crop';
  } catch (error) {
    result.error = isFaceAnalysisError(error) ? error.code : `error: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    image?.dispose();
  }
  result.ms = performance.now() - t0;
  results.push(result);
  if ((index + 1) % 200 === 0) console.error(`  ${index + 1}/${rows.length}  ${((performance.now() - started) / (index + 1)).toFixed(0)} ms/image  tensors ${tf.memory().numTensors}`);
}
const elapsedMs = performance.now() - started;

// Cross-fitted calibration: replace each reading by its held-out calibrated version. Both kinds
// are cross-fitted and printed; --kind picks the one written to the CSV (and --fit-out).
const read = results.filter((r) => r.probabilities && !r.error && expressionIndexOfLabel(r.label) >= 0);
const rawProbabilities = read.map((r) => [...(r.probabilities as number[])]);
const toEvalRow = (r: Result, probabilities: number[] | null): FaceEvalRow => {
  if (!probabilities) return { label: r.label, predicted: null, distribution: null, valence: null, arousal: null };
  const e = faceEmotionFromProbabilities(probabilities);
  return { label: r.label, predicted: e.top, distribution: e.distribution, valence: e.valence, arousal: e.arousal };
};
const scored = results.filter((r) => !r.error.startsWith('error: unknown label'));
const uncalibratedMetrics = faceMetrics(scored.map((r) => toEvalRow(r, r.probabilities)));
let cvFolds: FaceCalibration[] = [];
const cvMetrics: Partial<Record<CalibrationKind, FaceMetrics>> = {};
if (values.calibration === 'cv') {
  for (const k of ['temperature', 'temperature+bias'] as const) {
    const { calibrated, perFold } = crossFitCalibration(
      rawProbabilities,
      read.map((r) => expressionIndexOfLabel(r.label)),
      read.map((r) => r.group),
      { kind: k, folds, seed },
    );
    const byRow = new Map(read.map((r, i) => [r, calibrated[i]]));
    cvMetrics[k] = faceMetrics(scored.map((r) => toEvalRow(r, byRow.get(r) ?? r.probabilities)));
    if (k === kind) {
      read.forEach((r, i) => (r.probabilities = calibrated[i]));
      cvFolds = perFold;
    }
  }
}

const evalRows: FaceEvalRow[] = results.map((r) => toEvalRow(r, r.probabilities));
const metrics = faceMetrics(evalRows.filter((_, i) => !results[i].error.startsWith('error: unknown label')));
// Where the manifest has FER+ votes, the same readings are also scored against the votes'
// clear majority (rows without one are left out of that score).
const majorities = rows.map((r) => ferPlusMajority(r));
const ferPlusRows = evalRows.flatMap((e, i) => (majorities[i] ? [{ ...e, label: majorities[i] }] : []));
const ferPlusMetrics = ferPlusRows.length > 0 ? faceMetrics(ferPlusRows) : null;

mkdirSync(dirname(resolve(outPath)), { recursive: true });
const header = ['file', 'label', 'predicted', 'detected', 'detector', 'reason', 'error', ...EMOTIONS.map((l) => `p_${l}`), 'valence', 'arousal', 'ms'];
const body = results.map((r, i) => {
  const e = evalRows[i];
  return [
    r.file,
    r.label,
    e.predicted ?? '',
    r.detected ? 1 : 0,
    r.detector,
    r.reason,
    r.error,
    ...EMOTIONS.map((l) => (e.distribution ? e.distribution[l].toFixed(6) : '')),
    e.valence === null ? '' : e.valence.toFixed(4),
    e.arousal === null ? '' : e.arousal.toFixed(4),
    r.ms.toFixed(1),
  ];
});
writeFileSync(outPath, formatCsv([header, ...body]));

function pick(m: FaceMetrics) {
  return { accuracy: m.accuracy, uar: m.uar, meanNll: m.meanNll, ece: m.ece, recall: m.recall, valenceCorrelation: m.valenceCorrelation, arousalCorrelation: m.arousalCorrelation };
}
const detectedCount = results.filter((r) => r.detected).length;
const countBy = (key: (r: Result) => string) => results.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});
const times = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
const summary = {
  manifest: manifestPath,
  images: results.length,
  backend: activeBackend,
  options: { nets, flip: !values['no-flip'], align: values.align, assumeFace: values['assume-face'], exhaustive: values.exhaustive, detectorCrop: values['detector-crop'], calibration: values.calibration, kind, folds, seed },
  accuracy: metrics.accuracy,
  uar: metrics.uar,
  detectionRate: detectedCount / Math.max(1, results.length),
  detectors: countBy((r) => r.detector),
  reasons: countBy((r) => r.reason || r.error || 'none'),
  recall: metrics.recall,
  meanNll: metrics.meanNll,
  ece: metrics.ece,
  valenceCorrelation: metrics.valenceCorrelation,
  arousalCorrelation: metrics.arousalCorrelation,
  msPerImage: { mean: elapsedMs / Math.max(1, results.length), p50: pct(0.5), p95: pct(0.95) },
  cvFolds,
  confusion: metrics.confusion,
  uncalibrated: values.calibration === 'cv' ? pick(uncalibratedMetrics) : undefined,
  ferPlusMajority: ferPlusMetrics ? { images: ferPlusRows.length, ...pick(ferPlusMetrics), confusion: ferPlusMetrics.confusion } : undefined,
  crossValidated: values.calibration === 'cv' ? Object.fromEntries(Object.entries(cvMetrics).map(([k, m]) => [k, pick(m)])) : undefined,
};

const f3 = (x: number) => x.toFixed(3);
console.log(`images ${summary.images}  accuracy ${f3(summary.accuracy)}  UAR ${f3(summary.uar)}  detection rate ${f3(summary.detectionRate)}`);
console.log(`  detectors ${JSON.stringify(summary.detectors)}  reasons ${JSON.stringify(summary.reasons)}`);
console.log(`  recall ${metrics.labels.map((l) => `${l} ${f3(metrics.recall[l])}`).join(', ')}`);
console.log(`  NLL ${f3(summary.meanNll)}  ECE ${f3(summary.ece)}  valence r ${f3(summary.valenceCorrelation)}  arousal r ${f3(summary.arousalCorrelation)}`);
console.log(`  ${summary.msPerImage.mean.toFixed(0)} ms/image (p50 ${summary.msPerImage.p50.toFixed(0)}, p95 ${summary.msPerImage.p95.toFixed(0)}) on ${activeBackend}`);
if (values.calibration === 'cv') {
  const line = (name: string, m: FaceMetrics) => console.log(`  ${name.padEnd(34)} accuracy ${f3(m.accuracy)}  UAR ${f3(m.uar)}  NLL ${f3(m.meanNll)}  ECE ${f3(m.ece)}`);
  line('uncalibrated', uncalibratedMetrics);
  for (const [k, m] of Object.entries(cvMetrics)) line(`CV ${folds}-fold calibration (${k})`, m);
  console.log(`  (the figures above the table use --kind ${kind})`);
}
if (ferPlusMetrics) {
  console.log(`  against the FER+ majority (${ferPlusRows.length} images with a clear one): accuracy ${f3(ferPlusMetrics.accuracy)}  UAR ${f3(ferPlusMetrics.uar)}  NLL ${f3(ferPlusMetrics.meanNll)}  ECE ${f3(ferPlusMetrics.ece)}`);
  console.log(`    recall ${ferPlusMetrics.labels.map((l) => `${l} ${f3(ferPlusMetrics.recall[l])}`).join(', ')}`);
}
if (cvFolds.length) console.log(`  CV folds: ${cvFolds.map((c) => `T=${c.temperature.toFixed(2)} b=[${c.biasLogit.map((b) => b.toFixed(2)).join(',')}]`).join('  ')}`);
if (values.personal) {
  const ks = values.personal.split(',').map(Number);
  if (ks.some((k) => !(Number.isInteger(k) && k > 0))) fail(`--personal takes whole numbers above 0, not ${values.personal}`);
  const items: PersonalEvalItem[] = results.flatMap((r, i) => {
    const e = evalRows[i];
    if (!e.distribution || e.valence === null || e.arousal === null || !rows[i]?.subject) return [];
    const distribution = e.distribution;
    // Frames of one sequence (CK+: S010_004_00000017 → S010_004) never calibrate each other.
    const cluster = (r.file.split('/').pop() ?? r.file).replace(/_\d+\.[a-z]+$/i, '');
    return [{ group: r.group, cluster, label: r.label, probabilities: PERSONAL_LABELS.map((l) => distribution[l]), valence: e.valence, arousal: e.arousal }];
  });
  if (items.length === 0) console.log('  --personal: no image has a subject column value: nothing to calibrate per person');
  const targets = Object.fromEntries(Object.entries(EMOTION_COORDINATES).map(([l, p]) => [l, [p.valence, p.arousal] as const]));
  for (const answers of ['label', 'tap'] as const) {
    const curve = personalCurve(items, { labels: PERSONAL_LABELS, affectTargets: targets, ks, draws: Number(values['personal-draws']), seed, answers });
    (summary as Record<string, unknown>)[`personal_${answers}`] = curve;
    console.log(`  personal calibration (answers: ${answers}), K other images of the same subject:`);
    for (const p of curve) console.log(`    K=${p.k}  images ${p.count}  UAR ${f3(p.uar)}  arousal ${f3(p.arousal)}  valence ${f3(p.valence)}${p.k > 0 ? `  (switched on for ${(100 * p.activeShare).toFixed(0)} %)` : ''}`);
  }
}
if (values['summary-json']) writeFileSync(values['summary-json'], JSON.stringify(summary, null, 2) + '\n');

if (values['fit-out']) {
  if (values.calibration !== 'cv') fail('--fit-out needs --calibration cv (the cross-validated figures go into the file)');
  // What ships: the same fit on every image. Its figures on these images would be optimistic;
  // the file records the cross-validated ones instead.
  const fitted = fitCalibration(
    rawProbabilities,
    read.map((r) => expressionIndexOfLabel(r.label)),
    { kind },
  );
  const recall = Object.fromEntries(EMOTIONS.map((l) => [l, metrics.recall[l] ?? 0]));
  const file = {
    labels: FACE_API_EXPRESSIONS,
    temperature: Number(fitted.temperature.toFixed(4)),
    biasLogit: fitted.biasLogit.map((b) => Number(b.toFixed(4))),
    kind,
    fittedOn: { manifest: manifestPath.replace(/^.*?(datasets\/)/, '$1'), images: read.length, flip: !values['no-flip'], align: values.align },
    crossValidated: {
      folds,
      seed,
      accuracy: Number(metrics.accuracy.toFixed(4)),
      uar: Number(metrics.uar.toFixed(4)),
      meanNll: Number(metrics.meanNll.toFixed(4)),
      ece: Number(metrics.ece.toFixed(4)),
    },
    reliability: {
      note: 'Cross-validated on FER2013 test crops (in-the-wild, 48 px). contempt: the net has no such class.',
      perEmotion: recall,
      valence: Number(metrics.valenceCorrelation.toFixed(4)),
      arousal: Number(metrics.arousalCorrelation.toFixed(4)),
    },
  };
  writeFileSync(values['fit-out'], JSON.stringify(file, null, 2) + '\n');
  console.log(`  wrote ${values['fit-out']}: T=${file.temperature} b=[${file.biasLogit.join(', ')}]`);
}
process.exit(0);
