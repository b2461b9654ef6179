/**
 * `npm run train:speech -- --data ../shared/datasets/speech [options]`
 *
 * The whole, reproducible pipeline: reads the RAVDESS, EmoDB and Korean manifests, exports
 * features with the app's own TypeScript feature code (clean + augmented renderings per speaker,
 * + the evaluation room), trains in PyTorch (train.py: speaker-grouped cross-validation over all
 * corpora, leave-one-corpus-out, the final model on everything; summary.py pools the predictions,
 * fits the calibration temperature and the voice-profile maturity threshold), rebuilds the
 * network in tfjs-layers with those weights (parity-checked), writes
 * models/speech-emotion/{model.json, weights.bin, metadata.json}, reads every corpus back through
 * the app's loader (a consistency check on training data, not an accuracy claim), times
 * inference and writes MODEL_CARD.md.
 *
 * Options: --out DIR (models/speech-emotion) --cache DIR (node_modules/.cache/norae-speech)
 *   --augment N (training renderings per clip, 3) --epochs N (40) --epoch-size N (1500)
 *   --seed N --python PATH (/usr/bin/python3) --reuse-features --jobs N (parallel PyTorch processes, 2)
 *   --card-only (rewrite MODEL_CARD.md from the last run's training-record.json, no training)
 *   --cv-only (the cross-validation and leave-one-corpus-out tasks and the summary only: the shipped
 *     network — model.json, weights.bin and metadata.json's calibration, reliabilities and
 *     training figures — stays byte-identical; only `adaptation.profileWeighting` is set, and the
 *     training record and model card are rewritten with this run's CV figures)
 *   --tasks LIST (only these PyTorch tasks, e.g. cv:0,loco:korean: a quick smoke test of the pipeline)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { recordedCommand } from '../command-line.ts';
import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { SPEECH_CONTRACT_VERSION, SPEECH_MODEL_FORMAT, type ProfileWeighting, type SpeechModelMetadata } from '../../core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../core/speech/utterance-stats.ts';
import { SPEECH_NET_NAMES, buildSpeechNet, checkParity, loadExportedWeights, serialiseLayersModel, type ExportedWeight } from './build-tfjs-model.ts';
import { AFFECT_TARGETS, EXTRA_LABELS, SPEECH_CORPORA, SPEECH_FEATURES, SPEECH_LABELS, sentenceFolds, sentenceOf, speakerFolds } from './config.ts';
import { NodeAudioDecoder } from './decode-audio.ts';
import { evaluateRows } from './evaluate.ts';
import { exportFeatures, type FeatureClip, type FeatureExportIndex } from './feature-export.ts';
import { readManifest, type ManifestRow } from './manifest.ts';
import { writeModelCard, type ShippedCheck, type TrainingRecord, type PythonResults, type FinalExport } from './model-card.ts';
import { loadSpeechModelFromDisk } from './node-model.ts';
import { measureInference } from './timing.ts';
import { personalRecord } from './personal-cv.ts';

/** Hyper-parameters of the network and its training (recorded in metadata.json). */
export const TRAINING = {
  channels: [12, 24, 48, 96],
  statsHidden: 64,
  dropout: 0.3,
  learningRate: 0.003,
  weightDecay: 0.01,
  batchSize: 32,
  labelSmoothing: 0.05,
  /** Share of each epoch drawn from each corpus (then evenly over its speakers and their labels). */
  corpusShare: { ravdess: 1, emodb: 1, korean: 1 } as Record<string, number>,
  /** Share of training samples normalised with population statistics (cold) rather than a speaker profile. */
  coldFraction: 0.5,
  /** Training profiles: 2…60 random other clips of the same speaker in the same rendering. */
  minProfileTraining: 2,
  profileMaxUtterances: 60,
  /** Weight of each branch's own loss beside the joint one (keeps both branches predictive alone). */
  auxLossWeight: 0.5,
  /** Weight of the valence/arousal regression loss (mean squared error). */
  affectLossWeight: 1,
  /** Epochs at the end whose weights are averaged into the final model (SWA). */
  averageLastEpochs: 10,
  /** Voice-profile prior: the population statistics weigh like this many speech frames / utterances. */
  priorFrames: 300,
  priorUtterances: 3,
  coldMaskedStats: ['level_dbfs'],
  minProfileUtterancesForMasked: 3,
  /**
   * Training profiles' make-up: [random subset, mostly relaxed speech, mostly one emotion] — real
   * profiles are rarely balanced (see train.py draw_profile).
   */
  profileMix: [0.5, 0.25, 0.25],
  /** Weight of a logistic loss on the sign of the arousal output (high vs low), beside the squared error. */
  arousalSignLossWeight: 0.5,
  /** Profile sizes whose effect the cross-validation measures (the maturity threshold is chosen among them), and random draws per size and clip. */
  profileSizes: [1, 2, 3, 5, 8],
  profileDraws: 2,
  /** A reading below this calibrated top probability is unsure (right less often than not). */
  unsureBelow: 0.5,
  /**
   * Voice-profile weightings the cross-validation compares (each utterance counts in the profile
   * with a weight from its cold reading; voice-profile.ts `profileWeight`), one-emotion profile
   * draws per clip; summary.py chooses among them (model card, "Adaptation that never learns the mood").
   */
  profileWeightings: [{ kind: 'none' }, { kind: 'p-neutral' }, { kind: 'neutral-distance', target: [0, -0.25], sigma: 0.35 }] as ProfileWeighting[],
  oneEmotionDraws: 2,
};

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: 'models/speech-emotion' },
    cache: { type: 'string', default: 'node_modules/.cache/norae-speech' },
    augment: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '40' },
    'epoch-size': { type: 'string', default: '1500' },
    seed: { type: 'string', default: '20240601' },
    python: { type: 'string', default: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' },
    'reuse-features': { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    'card-only': { type: 'boolean', default: false },
    'cv-only': { type: 'boolean', default: false },
    tasks: { type: 'string' },
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
  console.error('usage: npm run train:speech -- --data ../shared/datasets/speech [--out models/speech-emotion] [--epochs 40] …');
  process.exit(2);
}
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60000).toFixed(1)} min`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);
const dataDir = resolve(values.data);
const outDir = resolve(values.out);
const cacheDir = resolve(values.cache);
const seed = Number(values.seed);
const command = recordedCommand('train:speech');
const cvOnly = values['cv-only'];
// The shipped model's metadata: its temperature calibrates the cold readings profile weights come
// from (the app's readings are calibrated with it); --cv-only keeps it and applies its threshold.
const shippedMetadataPath = join(outDir, 'metadata.json');
const shippedMetadata = existsSync(shippedMetadataPath) ? (JSON.parse(readFileSync(shippedMetadataPath, 'utf8')) as SpeechModelMetadata) : null;
if (cvOnly && (!shippedMetadata || !existsSync(join(outDir, 'training-record.json')))) throw new Error(`--cv-only needs a trained model in ${outDir} (metadata.json, training-record.json)`);

// 1. Manifests: every corpus is needed (the model must not learn one language).
const corpora: { name: string; rows: ManifestRow[] }[] = SPEECH_CORPORA.map((name) => {
  const path = join(dataDir, name, 'manifest.csv');
  if (!existsSync(path)) throw new Error(`${path} not found: training needs every corpus (${SPEECH_CORPORA.join(', ')})`);
  return { name, rows: readManifest(path) };
});
const clips: FeatureClip[] = corpora.flatMap((c) =>
  c.rows.map((r) => ({ path: r.path, file: `${c.name}/${r.file}`, label: r.label, speaker: r.speaker, corpus: c.name, sentence: sentenceOf(c.name, r.file) })),
);
const folds = speakerFolds(corpora.flatMap((c) => c.rows.map((r) => ({ speaker: r.speaker, corpus: c.name, gender: r.columns.gender ?? '' }))));
const foldSentences = sentenceFolds(clips);
log(`${clips.length} clips: ${corpora.map((c) => `${c.name} ${c.rows.length}`).join(', ')}; ${folds.length} speaker- and sentence-grouped folds`);

// 2. Features, through the app's SpeechAnalyser.
const featuresDir = join(cacheDir, 'features');
const augmentedCopies = Number(values.augment);
const indexPath = join(featuresDir, 'index.json');
const cached = values['reuse-features'] && existsSync(indexPath) ? (JSON.parse(readFileSync(indexPath, 'utf8')) as FeatureExportIndex & { seed?: number }) : null;
let index: FeatureExportIndex;
if (
  cached &&
  JSON.stringify(cached.features) === JSON.stringify(SPEECH_FEATURES) &&
  cached.variantKinds?.filter((k) => k === 'train').length === augmentedCopies &&
  cached.variantKinds.includes('room-test') &&
  cached.clips.length === clips.length &&
  cached.seed === seed
) {
  index = cached;
  log(`reusing features in ${featuresDir}`);
} else {
  log(`exporting features: ${clips.length} clips × (1 clean + ${augmentedCopies} training renderings + 1 evaluation room), 2 worker threads`);
  index = await exportFeatures({ features: SPEECH_FEATURES, clips, augmentedCopies, roomTest: true, seed, outDir: featuresDir, workerCount: 2, log });
  writeFileSync(indexPath, JSON.stringify({ ...index, seed }));
  log(`features done in ${index.seconds.toFixed(0)} s; ${index.errors.length} failures`);
  for (const e of index.errors.slice(0, 5)) log(`  ${e.file} (variant ${e.variant}): ${e.error}`);
}

// 3. PyTorch: cross-validation, leave-one-corpus-out and the final model; then the summary and the export.
const runDir = join(cacheDir, 'run');
mkdirSync(runDir, { recursive: true });
const job = {
  featuresDir,
  outDir: runDir,
  // One thread per process, several processes: see train.py's main().
  threads: 1,
  labels: SPEECH_LABELS,
  extraLabels: EXTRA_LABELS,
  affectTargets: AFFECT_TARGETS,
  folds,
  foldSentences,
  epochs: Number(values.epochs),
  epochSize: Number(values['epoch-size']),
  seed,
  ...TRAINING,
  profileWeightTemperature: shippedMetadata?.calibration.temperature ?? 1,
  ...(cvOnly && shippedMetadata ? { fixedMinProfileUtterances: shippedMetadata.adaptation.minProfileUtterances } : {}),
};
writeFileSync(join(runDir, 'job.json'), JSON.stringify(job, null, 2));
const allTasks = [...(cvOnly ? [] : ['final']), ...folds.map((_, k) => `cv:${k}`), ...SPEECH_CORPORA.map((c) => `loco:${c}`)];
const tasks = values.tasks ? allTasks.filter((t) => (values.tasks as string).split(',').includes(t)) : allTasks;
const parallel = Math.max(1, Number(values.jobs));
log(`training in PyTorch (${values.python} train.py): ${tasks.join(', ')} — ${parallel} at a time`);
for (const stale of ['final.json', 'final-model.pt', 'results.json', 'calibration.json', ...allTasks.map((t) => `${t.replace(':', '-')}.json`)]) rmSync(join(runDir, stale), { force: true });
const children = new Set<ReturnType<typeof spawn>>();
const runPython = (task: string) =>
  new Promise<void>((resolvePromise, reject) => {
    const child = spawn(values.python as string, [fileURLToPath(new URL('./train.py', import.meta.url)), join(runDir, 'job.json'), task], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
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
try {
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await runPython(task);
    }),
  );
} catch (error) {
  // One task failed: stop the others rather than let them run on for nothing.
  queue.length = 0;
  for (const child of children) child.kill();
  throw error;
}
await runPython('summary');
if (cvOnly) {
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as PythonResults;
  await finishCvOnly(results);
  process.exit(0);
}
await runPython('export');
const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as PythonResults;
const final = JSON.parse(readFileSync(join(runDir, 'final.json'), 'utf8')) as FinalExport;
const exported = final.export;

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
log(`tfjs vs PyTorch: largest output difference ${parity.toExponential(2)} on ${exported.referenceCount} reference windows`);
if (!(parity < 1e-3)) throw new Error(`the tfjs model disagrees with PyTorch (max difference ${parity}): layer layout mismatch`);
const { modelJson, weights } = await serialiseLayersModel(net);
net.dispose();
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson));
writeFileSync(join(outDir, 'weights.bin'), weights);

// 5. metadata.json: the contract, with what the cross-validation measured for the app to use.
const statNames = utteranceStatNames(SPEECH_FEATURES.melBandCount);
if (JSON.stringify(statNames) !== JSON.stringify(index.statNames)) throw new Error('feature cache has other statistics than this code: rerun without --reuse-features');
const reliability = (mode: 'cold' | 'adapted') => ({
  perEmotion: results.reliability[mode].perEmotion,
  valence: results.reliability[mode].valence,
  arousal: results.reliability[mode].arousal,
});
const metadata: SpeechModelMetadata = {
  format: SPEECH_MODEL_FORMAT,
  contractVersion: SPEECH_CONTRACT_VERSION,
  modelVersion: new Date().toISOString().slice(0, 10),
  labels: SPEECH_LABELS,
  unsupportedLabels: EMOTIONS.filter((e) => !SPEECH_LABELS.includes(e)),
  calmHandling: `RAVDESS "calm" and EmoDB "boredom": ${EXTRA_LABELS.calm === 'affect' ? 'valence/arousal targets only (no class)' : JSON.stringify(EXTRA_LABELS)}`,
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
  outputs: {
    emotion: { name: SPEECH_NET_NAMES.emotion, shape: [null, SPEECH_LABELS.length] },
    affect: { name: SPEECH_NET_NAMES.affect, shape: [null, 2] },
  },
  affectTargets: AFFECT_TARGETS,
  calibration: { temperature: results.temperature },
  adaptation: { minProfileUtterances: results.minProfileUtterances, profileWeighting: results.profileWeighting?.chosen ?? { kind: 'none' } },
  reliability: { cold: reliability('cold'), adapted: reliability('adapted') },
  uncertainty: { unsureBelow: TRAINING.unsureBelow },
};
const writeMetadata = () => writeFileSync(join(outDir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
writeMetadata();

// 6. The shipped files, through the app's loader, on every corpus. The final model trained on all
// of them, so these figures only prove the app reads the model as PyTorch does (training data).
const { predictor, backend } = await loadSpeechModelFromDisk(outDir, 'wasm');
const decoder = new NodeAudioDecoder();
const shipped: ShippedCheck = {};
for (const corpus of corpora) {
  const cold = await evaluateRows({ rows: corpus.rows, predictor, decoder, adapt: false });
  const adapted = await evaluateRows({ rows: corpus.rows, predictor, decoder, adapt: true });
  shipped[corpus.name] = { cold: { report: cold.report, affect: cold.affect }, adapted: { report: adapted.report, affect: adapted.affect } };
  log(`shipped files on ${corpus.name} (training data, tfjs ${backend}): cold UAR ${cold.report.uar.toFixed(3)}, adapted ${adapted.report.uar.toFixed(3)}`);
}

// 7. Inference time for a 4-second utterance.
const timing = await measureInference(outDir, corpora[0].rows[0].path, decoder);
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
  labelCounts: Object.fromEntries(corpora.map((c) => [c.name, c.rows.reduce<Record<string, number>>((m, r) => ((m[r.label] = (m[r.label] ?? 0) + 1), m), {})])),
  augmentedCopies,
  folds,
  foldSentences,
  hyperParameters: { ...TRAINING, epochs: job.epochs, epochSize: job.epochSize, seed, extraLabels: EXTRA_LABELS },
  parameters: exported.parameters,
  modelBytes,
  parity,
  shipped,
  inferenceMs: timing,
  python: results,
  finalSeconds: final.seconds,
  personal: personalRecord(runDir, index.clips, profileWeightingTag(results.profileWeighting?.chosen.kind ?? 'none'), log),
};
metadata.training = {
  command,
  wallSeconds: Math.round(wallSeconds),
  folds,
  parameters: exported.parameters,
  cv: Object.fromEntries(
    (['cleanCold', 'cleanAdapted', 'roomCold', 'roomAdapted'] as const)
      .filter((mode) => results.cv[mode])
      .map((mode) => [mode, Object.fromEntries(Object.entries(results.cv[mode] ?? {}).filter(([k]) => k !== 'uncalibratedEce').map(([corpus, m]) => [corpus, { uar: m.uar, arousalAccuracy: m.arousalAccuracy, valenceAccuracy: m.valenceAccuracy, ece: m.ece, count: m.count }]))]),
  ),
  leaveOneCorpusOut: Object.fromEntries(Object.entries(results.loco).map(([corpus, entry]) => [corpus, { cold: entry.cleanCold?.uar, adapted: entry.cleanAdapted?.uar }])),
};
writeMetadata();
writeFileSync(join(outDir, 'training-record.json'), `${JSON.stringify(record, null, 2)}\n`);
writeModelCard(join(outDir, 'MODEL_CARD.md'), metadata, record);
log(`wrote ${outDir}: model ${(modelBytes / 1024).toFixed(0)} KiB, ${exported.parameters} parameters; wall time ${(wallSeconds / 60).toFixed(1)} min`);

/**
 * --cv-only: the shipped network and its metadata stay as they are, except
 * `adaptation.profileWeighting` (the weighting this run's cross-validation chose); the training
 * record keeps the shipped files' own entries (parity, read-back, timing: they describe files
 * this run did not touch) and takes this run's cross-validation results.
 */
async function finishCvOnly(results: PythonResults): Promise<void> {
  const metadataText = readFileSync(shippedMetadataPath, 'utf8');
  const metadata = JSON.parse(metadataText) as SpeechModelMetadata;
  const chosen = results.profileWeighting?.chosen ?? { kind: 'none' };
  metadata.adaptation = { ...metadata.adaptation, profileWeighting: chosen };
  writeFileSync(shippedMetadataPath, `${JSON.stringify(metadata, null, 2)}\n`);
  const previous = JSON.parse(readFileSync(join(outDir, 'training-record.json'), 'utf8')) as TrainingRecord;
  const wallSeconds = (performance.now() - started) / 1000;
  const record: TrainingRecord = {
    ...previous,
    trainedBy: previous.trainedBy ?? { command: previous.command, wallSeconds: previous.wallSeconds, featureSeconds: previous.featureSeconds, python: previous.python },
    cvOnly: { command, wallSeconds, featureSeconds: index.seconds },
    python: results,
    personal: personalRecord(runDir, index.clips, profileWeightingTag(chosen.kind), log),
  };
  writeFileSync(join(outDir, 'training-record.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeModelCard(join(outDir, 'MODEL_CARD.md'), metadata, record);
  log(`--cv-only: profile weighting ${JSON.stringify(chosen)} written to metadata.json; training record and model card rewritten; wall time ${(wallSeconds / 60).toFixed(1)} min`);
}

/** The CV prediction modes' tag of a profile weighting (train.py names its modes so). */
function profileWeightingTag(kind: string): string {
  return ({ none: 'none', 'p-neutral': 'pneutral', 'neutral-distance': 'ndist' } as Record<string, string>)[kind] ?? kind;
}
