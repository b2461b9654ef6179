/**
 * `npm run train:speech -- --data ../shared/datasets/speech [options]`
 *
 * The whole, reproducible pipeline: reads the RAVDESS and TESS manifests, exports features
 * with the app's own TypeScript feature code (clean + augmented copies), trains in PyTorch
 * (train.py: cross-validation over RAVDESS actor groups, then the final model without the
 * held-out actors), rebuilds the network in tfjs-layers with those weights (parity-checked),
 * writes models/speech-emotion/{model.json, weights.bin, metadata.json}, evaluates the shipped
 * files on the held-out actors through the app's loader, times inference and writes MODEL_CARD.md.
 *
 * Options: --out DIR (models/speech-emotion) --cache DIR (node_modules/.cache/norae-speech)
 *   --augment N (augmented copies per clip, 3) --epochs N (40) --no-cv --calm drop|merge
 *   --tess F (share of TESS clips drawn per epoch; 0 = TESS not used, the default)
 *   --seed N --python PATH (/usr/bin/python3) --reuse-features --jobs N (parallel PyTorch processes, 2)
 *   --card-only (rewrite MODEL_CARD.md from the last run's training-record.json, no training)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { SPEECH_CONTRACT_VERSION, SPEECH_MODEL_FORMAT, type SpeechModelMetadata } from '../../core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../core/speech/utterance-stats.ts';
import { SPEECH_NET_NAMES, buildSpeechNet, checkParity, loadExportedWeights, serialiseLayersModel, type ExportedWeight } from './build-tfjs-model.ts';
import { CV_FOLDS, HELD_OUT_ACTORS, SPEECH_FEATURES, SPEECH_LABELS, ravdessActor } from './config.ts';
import { NodeAudioDecoder } from './decode-audio.ts';
import { evaluateRows } from './evaluate.ts';
import { exportFeatures, type FeatureClip, type FeatureExportIndex } from './feature-export.ts';
import { readManifest, type ManifestRow } from './manifest.ts';
import { formatConfusion } from '../metrics.ts';
import { writeModelCard, type TrainingRecord } from './model-card.ts';
import { loadSpeechModelFromDisk } from './node-model.ts';
import { measureInference } from './timing.ts';

/** Hyper-parameters of the network and its training (recorded in metadata.json). */
export const TRAINING = {
  channels: [12, 24, 48, 96],
  statsHidden: 64,
  dropout: 0.3,
  learningRate: 0.003,
  weightDecay: 0.01,
  batchSize: 32,
  labelSmoothing: 0.05,
  /** Share of training samples normalised with population statistics (cold) rather than a speaker profile. */
  coldFraction: 0.5,
  profilesPerSpeaker: 6,
  profileMaxUtterances: 60,
  /** Weight of each branch's own loss beside the joint one (keeps both branches predictive alone). */
  auxLossWeight: 0.5,
  /** Epochs at the end whose weights are averaged into the final model (SWA). */
  averageLastEpochs: 10,
  /** Voice-profile prior: the population statistics weigh like this many speech frames / utterances. */
  priorFrames: 300,
  priorUtterances: 3,
  coldMaskedStats: ['level_dbfs'],
  minProfileUtterancesForMasked: 3,
};

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: 'models/speech-emotion' },
    cache: { type: 'string', default: 'node_modules/.cache/norae-speech' },
    augment: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '40' },
    'no-cv': { type: 'boolean', default: false },
    calm: { type: 'string', default: 'drop' },
    tess: { type: 'string', default: '0' },
    seed: { type: 'string', default: '20240601' },
    python: { type: 'string', default: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' },
    'reuse-features': { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    'card-only': { type: 'boolean', default: false },
  },
});
if (values['card-only']) {
  // Rewrites MODEL_CARD.md from the last run's record (after editing the card's text), no training.
  const dir = resolve(values.out);
  const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as SpeechModelMetadata;
  const record = JSON.parse(readFileSync(join(dir, 'training-record.json'), 'utf8')) as TrainingRecord;
  writeModelCard(join(dir, 'MODEL_CARD.md'), metadata, record);
  console.log(`rewrote ${join(dir, 'MODEL_CARD.md')} from training-record.json`);
  process.exit(0);
}
if (!values.data) {
  console.error('usage: npm run train:speech -- --data ../shared/datasets/speech [--out models/speech-emotion] [--no-cv] …');
  process.exit(2);
}
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60000).toFixed(1)} min`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);
const dataDir = resolve(values.data);
const outDir = resolve(values.out);
const cacheDir = resolve(values.cache);
const calm = values.calm === 'drop' ? 'drop' : 'merge';
const seed = Number(values.seed);
const command = `npm run train:speech -- ${process.argv.slice(2).join(' ')}`;

// 1. Manifests.
const corpora: { name: string; rows: ManifestRow[] }[] = [];
const tessFraction = Number(values.tess);
for (const name of ['ravdess', 'tess']) {
  // TESS is read only when used: measured, it lowered cross-validated UAR (see the model card).
  if (name === 'tess' && !(tessFraction > 0)) continue;
  const path = join(dataDir, name, 'manifest.csv');
  if (existsSync(path)) corpora.push({ name, rows: readManifest(path) });
}
if (!corpora.some((c) => c.name === 'ravdess')) throw new Error(`${dataDir}/ravdess/manifest.csv not found: RAVDESS is needed for speaker-independent evaluation`);
const clips: FeatureClip[] = corpora.flatMap((c) => c.rows.map((r) => ({ path: r.path, file: `${c.name}/${r.file}`, label: r.label, speaker: r.speaker, corpus: c.name })));
log(`${clips.length} clips: ${corpora.map((c) => `${c.name} ${c.rows.length}`).join(', ')}`);

// 2. Features, through the app's SpeechAnalyser.
const featuresDir = join(cacheDir, 'features');
const augmentedCopies = Number(values.augment);
let index: FeatureExportIndex;
const indexPath = join(featuresDir, 'index.json');
const cached = values['reuse-features'] && existsSync(indexPath) ? (JSON.parse(readFileSync(indexPath, 'utf8')) as FeatureExportIndex) : null;
if (cached && JSON.stringify(cached.features) === JSON.stringify(SPEECH_FEATURES) && cached.variants === augmentedCopies + 1 && cached.clips.length === clips.length) {
  index = cached;
  log(`reusing features in ${featuresDir}`);
} else {
  log(`exporting features: ${clips.length} clips × (1 clean + ${augmentedCopies} augmented), 2 worker threads`);
  index = await exportFeatures({ features: SPEECH_FEATURES, clips, augmentedCopies, seed, outDir: featuresDir, workerCount: 2, log });
  log(`features done in ${index.seconds.toFixed(0)} s; ${index.errors.length} failures`);
  for (const e of index.errors.slice(0, 5)) log(`  ${e.file} (variant ${e.variant}): ${e.error}`);
}

// 3. PyTorch: cross-validation + final model.
const runDir = join(cacheDir, 'run');
mkdirSync(runDir, { recursive: true });
const job = {
  featuresDir,
  outDir: runDir,
  // One thread per process, several processes: see train.py's main().
  threads: 1,
  labels: SPEECH_LABELS,
  calm,
  heldOutActors: HELD_OUT_ACTORS,
  folds: CV_FOLDS,
  useTess: corpora.some((c) => c.name === 'tess'),
  tessFraction,
  epochs: Number(values.epochs),
  seed,
  ...TRAINING,
};
writeFileSync(join(runDir, 'job.json'), JSON.stringify(job, null, 2));
const tasks = ['final', ...(values['no-cv'] ? [] : CV_FOLDS.map((_, k) => `fold:${k}`))];
const parallel = Math.max(1, Number(values.jobs));
log(`training in PyTorch (${values.python} train.py): ${tasks.join(', ')} — ${parallel} at a time`);
for (const stale of ['final.json', 'results.json', ...CV_FOLDS.map((_, k) => `fold-${k}.json`)]) rmSync(join(runDir, stale), { force: true });
const runPython = (task: string) =>
  new Promise<void>((resolvePromise, reject) => {
    const child = spawn(values.python as string, [fileURLToPath(new URL('./train.py', import.meta.url)), join(runDir, 'job.json'), task], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      // Per-epoch lines only every 10 epochs, to keep the log readable.
      for (const line of lines) if (line.trim() && !/epoch (?!\d*0\/)/.test(line)) log(`  ${line}`);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`train.py ${task} exited with ${code}`))));
  });
const queue = [...tasks];
await Promise.all(
  Array.from({ length: Math.min(parallel, queue.length) }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await runPython(task);
  }),
);
await runPython('summary');
const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as TrainingRecord['python'];
const exported = results.final.export;

// 4. The tfjs model, parity-checked against PyTorch.
await tf.setBackend('cpu');
const shape = {
  windowFrames: SPEECH_FEATURES.windowFrames,
  melBandCount: SPEECH_FEATURES.melBandCount,
  statsCount: index.statNames.length,
  classCount: SPEECH_LABELS.length,
  channels: TRAINING.channels,
  statsHidden: TRAINING.statsHidden,
};
const net = buildSpeechNet(shape);
loadExportedWeights(net, runDir, exported.weights as ExportedWeight[]);
const parity = checkParity(net, runDir, exported.referenceCount, shape);
log(`tfjs vs PyTorch: largest probability difference ${parity.toExponential(2)} on ${exported.referenceCount} reference windows`);
if (!(parity < 1e-3)) throw new Error(`the tfjs model disagrees with PyTorch (max |Δp| = ${parity}): layer layout mismatch`);
const { modelJson, weights } = await serialiseLayersModel(net);
net.dispose();
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson));
writeFileSync(join(outDir, 'weights.bin'), weights);

// 5. metadata.json: the contract.
const statNames = utteranceStatNames(SPEECH_FEATURES.melBandCount);
if (JSON.stringify(statNames) !== JSON.stringify(index.statNames)) throw new Error('feature cache has other statistics than this code: rerun without --reuse-features');
const modelVersion = new Date().toISOString().slice(0, 10);
const metadata: SpeechModelMetadata = {
  format: SPEECH_MODEL_FORMAT,
  contractVersion: SPEECH_CONTRACT_VERSION,
  modelVersion,
  labels: SPEECH_LABELS,
  unsupportedLabels: EMOTIONS.filter((e) => !SPEECH_LABELS.includes(e)),
  calmHandling: calm === 'merge' ? 'RAVDESS "calm" clips trained as neutral' : 'RAVDESS "calm" clips left out of training',
  features: SPEECH_FEATURES,
  statsFeatureNames: statNames,
  normalisation: {
    ...exported.normalisation,
    priorFrames: TRAINING.priorFrames,
    priorUtterances: TRAINING.priorUtterances,
    coldMaskedStats: TRAINING.coldMaskedStats,
    minProfileUtterancesForMasked: TRAINING.minProfileUtterancesForMasked,
  },
  inputs: {
    logMel: { name: SPEECH_NET_NAMES.logMel, shape: [null, SPEECH_FEATURES.windowFrames, SPEECH_FEATURES.melBandCount, 1] },
    stats: { name: SPEECH_NET_NAMES.stats, shape: [null, statNames.length] },
  },
  output: { name: SPEECH_NET_NAMES.output, shape: [null, SPEECH_LABELS.length] },
};
const writeMetadata = () => writeFileSync(join(outDir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
writeMetadata();

// 6. The shipped files, through the app's loader, on the held-out actors.
const heldOutRows = corpora.find((c) => c.name === 'ravdess')!.rows.filter((r) => HELD_OUT_ACTORS.includes(ravdessActor(r.speaker) ?? -1));
const { predictor, backend } = await loadSpeechModelFromDisk(outDir, 'wasm');
const decoder = new NodeAudioDecoder();
log(`evaluating the shipped files on held-out actors ${HELD_OUT_ACTORS.join(', ')} (${heldOutRows.length} clips) on tfjs ${backend}`);
const heldCold = await evaluateRows({ rows: heldOutRows, predictor, decoder, adapt: false });
const heldAdapted = await evaluateRows({ rows: heldOutRows, predictor, decoder, adapt: true });
log(`held-out cold: UAR ${heldCold.report.uar.toFixed(3)} accuracy ${heldCold.report.accuracy.toFixed(3)}\n${formatConfusion(heldCold.report)}`);
log(`held-out adapted: UAR ${heldAdapted.report.uar.toFixed(3)} accuracy ${heldAdapted.report.accuracy.toFixed(3)}\n${formatConfusion(heldAdapted.report)}`);

// 6b. TESS as an unseen corpus, when training did not use it (2 speakers: a coarse check).
let unseenCorpus: TrainingRecord['unseenCorpus'] = null;
const tessManifest = join(dataDir, 'tess', 'manifest.csv');
if (!(tessFraction > 0) && existsSync(tessManifest)) {
  const tessRows = readManifest(tessManifest);
  const tessCold = await evaluateRows({ rows: tessRows, predictor, decoder, adapt: false });
  const tessAdapted = await evaluateRows({ rows: tessRows, predictor, decoder, adapt: true });
  unseenCorpus = { name: 'TESS', cold: tessCold.report, adapted: tessAdapted.report };
  log(`TESS (never trained on): cold UAR ${tessCold.report.uar.toFixed(3)}, adapted UAR ${tessAdapted.report.uar.toFixed(3)} (${tessCold.report.count} clips)`);
}

// 7. Inference time for a 4-second utterance.
const timing = await measureInference(outDir, heldOutRows[0].path, decoder);
log(`inference on a 4 s utterance: ${Object.entries(timing).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
decoder.free();
predictor.dispose();

// 8. Record everything and write the model card.
const wallSeconds = (performance.now() - started) / 1000;
const modelBytes = statSync(join(outDir, 'weights.bin')).size + statSync(join(outDir, 'model.json')).size;
const record: TrainingRecord = {
  command,
  wallSeconds,
  featureSeconds: index.seconds,
  clips: Object.fromEntries(corpora.map((c) => [c.name, c.rows.length])),
  augmentedCopies,
  heldOutActors: HELD_OUT_ACTORS,
  cvFolds: CV_FOLDS,
  calm,
  hyperParameters: { ...TRAINING, epochs: job.epochs, seed, tessFraction },
  parameters: exported.parameters,
  modelBytes,
  parity,
  heldOut: { cold: heldCold.report, adapted: heldAdapted.report, calmPredictions: heldCold.skippedPredictions.calm ?? {} },
  inferenceMs: timing,
  unseenCorpus,
  python: results,
};
metadata.training = {
  command,
  wallSeconds: Math.round(wallSeconds),
  heldOutActors: HELD_OUT_ACTORS,
  heldOut: {
    cold: { uar: heldCold.report.uar, accuracy: heldCold.report.accuracy, count: heldCold.report.count },
    adapted: { uar: heldAdapted.report.uar, accuracy: heldAdapted.report.accuracy, count: heldAdapted.report.count },
  },
  cv: results.cv
    ? {
        cold: { uar: results.cv.cold.uar, foldUarMean: results.cv.cold.foldUarMean, foldUarSd: results.cv.cold.foldUarSd, accuracy: results.cv.cold.accuracy },
        adapted: { uar: results.cv.adapted.uar, foldUarMean: results.cv.adapted.foldUarMean, foldUarSd: results.cv.adapted.foldUarSd, accuracy: results.cv.adapted.accuracy },
      }
    : null,
  parameters: exported.parameters,
};
writeMetadata();
writeFileSync(join(outDir, 'training-record.json'), `${JSON.stringify(record, null, 2)}\n`);
writeModelCard(join(outDir, 'MODEL_CARD.md'), metadata, record);
log(`wrote ${outDir}: model ${(modelBytes / 1024).toFixed(0)} KiB, ${exported.parameters} parameters; wall time ${(wallSeconds / 60).toFixed(1)} min`);
